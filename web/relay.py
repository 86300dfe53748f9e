"""The chat relay: a person's messages go to Rasa or to their peer; replies come back in order.

Every message is stored with a per-conversation sequence number before it is sent, so a widget
that reconnects asks for "everything after seq N" and nothing is lost or shown twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.crisis import detect_crisis
from bot.redaction import coarsen
from resources_db.national import crisis_lines
from web import metrics
from web.accounts import SignedIn
from web.config import WebConfig
from web.handoff import Handoff
from web.lines import describe, fallback_lines
from web.peer_hub import PeerHub
from web.rasa_client import RasaClient, RasaUnavailable
from web.ratelimit import RateLimits
from web.store import ConversationStore
from web.tracker_events import delete_conversation

log = logging.getLogger(__name__)

REQUEST_PEER = "/request_peer"
SHARE_LOCATION = "/share_location"
STOP_WAITING = "/stop_waiting"
WAIT_FOR_PEER = "/wait_for_peer"
CARD_FIELDS = (
    "id", "name", "organization", "categories", "address", "city", "state", "zip", "lat", "lon",
    "distance_miles", "phone", "website", "insurance", "populations", "languages", "hours",
    "open_now", "capacity", "last_verified", "source",
)
BACK_TO_BOT_BUTTON = {"title": "Keep chatting with the assistant", "payload": STOP_WAITING}
PEER_BUTTON = {"title": "Talk to a peer", "payload": REQUEST_PEER}
WAIT_BUTTON = {"title": "Wait here for a peer", "payload": WAIT_FOR_PEER}


def error_frame(code: str, message: str, client_id: str | None = None) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message, "client_id": client_id}


def unavailable_frame(client_id: str | None = None) -> dict[str, Any]:
    """What a person is told when the database is down: try again later, or call now."""
    return error_frame(
        "unavailable",
        "Sorry, the chat can't take messages right now. Please try again in a few "
        f"minutes. If you need someone now: {describe(fallback_lines())}.",
        client_id,
    )


def parse_frame(raw: str) -> dict[str, Any] | None:
    """A WebSocket text frame as a JSON object, or None when it is anything else."""
    try:
        frame = json.loads(raw)
    except ValueError:
        return None
    return frame if isinstance(frame, dict) else None


def without_nul(text: str) -> str:
    """Drop NUL characters: PostgreSQL text cannot hold them (nor can Rasa's tracker store),
    so a message containing one would otherwise fail to be stored at all."""
    return text.replace("\x00", "")


def clean_buttons(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in raw
        if isinstance(b, dict) and b.get("payload")
    ]


def clean_cards(raw: Any) -> list[dict[str, Any]]:
    """Keep only the contract's card fields from cards a peer chose to send."""
    if not isinstance(raw, list):
        return []
    cards = [card for card in raw[:10] if isinstance(card, dict)]
    return [{key: card.get(key) for key in CARD_FIELDS} for card in cards]


class ChatRelay:
    """Routes messages between the person's widget, Rasa and the peer console."""

    def __init__(
        self,
        config: WebConfig,
        store: ConversationStore,
        handoff: Handoff,
        hub: PeerHub,
        rasa: RasaClient,
        limits: RateLimits,
    ) -> None:
        self.config = config
        self.store = store
        self.handoff = handoff
        self.hub = hub
        self.rasa = rasa
        self.limits = limits
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    # person side --------------------------------------------------------------------------
    async def person_message(
        self,
        conversation_id: str,
        text: str,
        client_id: str,
        address: str,
        display: str | None = None,
    ) -> dict[str, Any] | None:
        """Handle one message from a person; returns an error frame for them, or None.

        When the database is unavailable nothing can be stored or relayed: the person gets a
        kind error (the widget puts their text back in the box) with phone lines.
        """
        try:
            return await self._person_message(conversation_id, text, client_id, address, display)
        except SQLAlchemyError as exc:
            log.warning("database unavailable for a message: %s", exc.__class__.__name__)
            return unavailable_frame(client_id)

    async def _person_message(
        self, conversation_id: str, text: str, client_id: str, address: str, display: str | None
    ) -> dict[str, Any] | None:
        text = without_nul(text).strip()
        display = without_nul(display) if display is not None else None
        if not text:
            return error_frame("empty", "Type a message first.", client_id)
        if len(text) > self.config.max_message_chars or len(display or "") > 200:
            return error_frame(
                "too_long",
                f"That message is too long. Please keep it under "
                f"{self.config.max_message_chars:,} characters.",
                client_id,
            )
        async with self._locks[conversation_id]:
            existing = self.store.by_client_id(conversation_id, client_id)
            if existing is not None:  # a resend after a reconnect: already handled
                await self.hub.to_person(conversation_id, existing)
                return None
            if not (
                self.limits.hit("conversation", conversation_id)
                and self.limits.hit("address", address)
            ):
                return error_frame(
                    "rate_limited",
                    "You're sending messages faster than I can keep up. "
                    "Please wait a moment and try again.",
                    client_id,
                )
            await self._handle_person_message(conversation_id, text, client_id, display)
        return None

    async def _handle_person_message(
        self, conversation_id: str, text: str, client_id: str, display: str | None
    ) -> None:
        conversation = self.store.get(conversation_id)
        state = conversation.state if conversation else "bot"
        peer_id = conversation.peer_user_id if conversation else None
        frame = self.store.append(conversation_id, "person", display or text, client_id=client_id)
        await self.hub.to_person(conversation_id, frame)
        if state == "with_peer" and peer_id is not None:
            await self.hub.to_peer(peer_id, frame)
            return
        if state == "waiting":
            await self._while_waiting(conversation_id, text)
            return
        if state == "closed":
            self.handoff.to_bot(conversation_id)
            await self._resume_quietly(conversation_id)
        if text == WAIT_FOR_PEER:
            await self._wait_for_peer(conversation_id)
            return
        await self._bot_turn(conversation_id, text)

    async def _wait_for_peer(self, conversation_id: str) -> None:
        """The person chose to wait although nobody was online: queue them, pause Rasa."""
        self.handoff.queue(conversation_id, None)
        await self._system(
            conversation_id,
            "OK. You're in line, and a peer recovery specialist will see your request as soon "
            "as one comes online. You can leave this page open.",
            buttons=[BACK_TO_BOT_BUTTON],
        )
        await self.send_state(conversation_id)
        await self.broadcast_queue()

    async def _while_waiting(self, conversation_id: str, text: str) -> None:
        if text == STOP_WAITING:
            self.handoff.to_bot(conversation_id)
            await self._resume_quietly(conversation_id)
            await self._system(
                conversation_id,
                "OK, you're back with the automated assistant. You can ask for a peer again "
                "anytime.",
            )
            await self.broadcast_queue()
        await self.send_state(conversation_id)

    async def _bot_turn(self, conversation_id: str, text: str) -> None:
        if text.startswith(SHARE_LOCATION):
            # Precise coordinates never reach Rasa or its tracker store (docs/privacy.md).
            text = coarsen(text)
        try:
            with metrics.TURN_SECONDS.time():
                replies = await self.rasa.send(conversation_id, text, {"channel": "web"})
        except RasaUnavailable as exc:
            metrics.ERRORS.labels("rasa").inc()
            log.warning("Rasa unavailable for a turn: %s", exc)
            await self._bot_failed(conversation_id, text)
            return
        shown = 0
        for reply in replies:
            custom = reply.get("custom") if isinstance(reply.get("custom"), dict) else None
            text_out = reply.get("text") if isinstance(reply.get("text"), str) else None
            if text_out is None and custom is None and not reply.get("buttons"):
                continue
            frame = self.store.append(
                conversation_id, "bot", text_out, buttons=clean_buttons(reply.get("buttons")),
                custom=custom,
            )
            await self.hub.to_person(conversation_id, frame)
            shown += 1
            if custom is not None and custom.get("type") == "crisis":
                metrics.CRISIS_REPLIES.labels(str(custom.get("kind"))).inc()
            if custom is not None and custom.get("type") == "handoff":
                await self._on_handoff(conversation_id, custom)
        if shown == 0:
            # Rasa answers a turn with nothing when a custom action failed (the action server
            # is down: Rasa logs it and "continues"). Silence would look like a hang.
            log.warning("Rasa returned an empty turn (is the action server down?)")
            await self._bot_failed(conversation_id, text)

    async def _bot_failed(self, conversation_id: str, text: str) -> None:
        if text == REQUEST_PEER:
            await self._queue_without_bot(conversation_id)
        else:
            await self._fallback(conversation_id, text)

    async def _on_handoff(self, conversation_id: str, custom: dict[str, Any]) -> None:
        raw = custom.get("summary")
        summary: dict[str, Any] = raw if isinstance(raw, dict) else {}
        metrics.HANDOFFS.labels(str(custom.get("status"))).inc()
        if custom.get("status") == "unavailable":
            # The assistant already said so and gave lines; it keeps helping. The person may
            # still choose to wait for a peer to come online.
            self.handoff.remember_summary(conversation_id, summary)
            await self._system(
                conversation_id,
                "If you'd like, you can also wait here and a peer will join when one comes "
                "online.",
                buttons=[WAIT_BUTTON],
            )
            await self.send_state(conversation_id)
            return
        self.handoff.queue(conversation_id, summary)
        await self.send_state(conversation_id)
        await self.broadcast_queue()

    async def _queue_without_bot(self, conversation_id: str) -> None:
        summary: dict[str, Any] = {"needs": [], "location": None, "insurance": None,
                   "notes": "Asked for a peer while the assistant was not answering."}
        self.handoff.queue(conversation_id, summary)
        if self.handoff.online_count(self.config.presence_window_seconds) == 0:
            await self._nobody_free(conversation_id, "No peer recovery specialist is online")
        else:
            await self._system(
                conversation_id,
                "I've asked for a peer recovery specialist. They'll join this chat as soon as "
                "one is free.",
            )
        await self.send_state(conversation_id)
        await self.broadcast_queue()

    async def _nobody_free(self, conversation_id: str, why: str) -> None:
        lines = fallback_lines()
        await self._system(
            conversation_id,
            f"{why} right now. You can keep waiting here and one will see your request, "
            f"or reach someone now: {describe(lines)}.",
            custom={"type": "lines", "lines": lines},
            buttons=[BACK_TO_BOT_BUTTON],
        )

    async def _fallback(self, conversation_id: str, text: str = "") -> None:
        """The assistant could not answer: say so kindly, give lines and the peer option.

        The crisis check is pure standard library, so it still runs here: someone who writes
        about an overdose while the assistant is down gets the emergency lines first.
        """
        signal = detect_crisis(text) if text else None
        if signal is not None:
            lines = crisis_lines(signal.kind)
            await self._system(
                conversation_id,
                "Your safety matters most. The assistant can't answer right now, so please "
                f"reach someone now: {describe(lines)}.",
                custom={"type": "crisis", "kind": signal.kind, "lines": lines},
                buttons=[PEER_BUTTON],
            )
            return
        lines = fallback_lines()
        await self._system(
            conversation_id,
            "Sorry, the assistant can't answer right now. You don't have to wait for it: "
            f"{describe(lines)}. You can also talk to a peer.",
            custom={"type": "lines", "lines": lines},
            buttons=[PEER_BUTTON],
        )

    async def _system(
        self,
        conversation_id: str,
        text: str,
        *,
        custom: dict[str, Any] | None = None,
        buttons: list[dict[str, str]] | None = None,
        peer_id: int | None = None,
    ) -> dict[str, Any]:
        frame = self.store.append(conversation_id, "system", text, custom=custom, buttons=buttons)
        await self.hub.to_person(conversation_id, frame)
        if peer_id is not None:
            await self.hub.to_peer(peer_id, frame)
        return frame

    async def _resume_quietly(self, conversation_id: str) -> None:
        try:
            await self.rasa.resume(conversation_id)
        except RasaUnavailable as exc:
            log.warning("could not resume conversation in Rasa: %s", exc)

    async def person_end(self, conversation_id: str) -> None:
        """The person ends their peer chat (or stops waiting for one)."""
        async with self._locks[conversation_id]:
            conversation = self.store.get(conversation_id)
            if conversation is None or conversation.state not in ("waiting", "with_peer"):
                return
            peer_id = conversation.peer_user_id if conversation.state == "with_peer" else None
            if not self.handoff.close(conversation_id):
                return
            await self._system(
                conversation_id,
                "You ended the chat with the peer. The automated assistant is still here if you "
                "need anything.",
                peer_id=peer_id,
            )
            if peer_id is not None:
                await self.hub.to_peer(peer_id, self._peer_state(conversation_id, "closed"))
        await self.send_state(conversation_id)
        await self.broadcast_queue()

    async def delete(self, conversation_id: str) -> bool:
        """Forget the conversation entirely (the person asked): Rasa's copy and ours.

        Rasa's tracker events go first: if that fails nothing is deleted and the person can
        simply try again. Open widgets of the conversation get `{"type": "deleted"}`.
        """
        async with self._locks[conversation_id]:
            try:
                await asyncio.to_thread(
                    delete_conversation, self.config.tracker_database_url, conversation_id
                )
            except SQLAlchemyError as exc:
                log.warning("could not delete a conversation's tracker: %s", type(exc).__name__)
                return False
            conversation = self.store.get(conversation_id)
            peer_id = conversation.peer_user_id if conversation else None
            was_waiting = conversation is not None and conversation.state == "waiting"
            self.store.delete(conversation_id)
        self._locks.pop(conversation_id, None)
        await self.hub.to_person(conversation_id, {"type": "deleted"})
        if peer_id is not None:
            await self.hub.to_peer(peer_id, self._peer_state(conversation_id, "deleted"))
        if was_waiting:
            await self.broadcast_queue()
        return True

    # shared ---------------------------------------------------------------------------------
    def state_frame(self, conversation_id: str) -> dict[str, Any]:
        conversation = self.store.get(conversation_id)
        state = conversation.state if conversation else "bot"
        frame: dict[str, Any] = {"type": "state", "state": state, "position": None,
                                 "peer_name": None}
        if state == "waiting":
            frame["position"] = self.handoff.position(conversation_id)
        elif state == "with_peer" and conversation and conversation.peer_user_id is not None:
            frame["peer_name"] = self.handoff.display_name(conversation.peer_user_id)
        return frame

    async def send_state(self, conversation_id: str) -> None:
        await self.hub.to_person(conversation_id, self.state_frame(conversation_id))

    async def broadcast_queue(self) -> None:
        """Peers see the queue change; each waiting person sees their new place in line."""
        entries = self.handoff.waiting()
        metrics.QUEUE_LENGTH.set(len(entries))
        await self.hub.to_all_peers({"type": "queue", "items": [e.frame() for e in entries]})
        for entry in entries:
            # The person may be connected to another web instance: always send.
            await self.hub.to_person(
                entry.conversation_id,
                {"type": "state", "state": "waiting", "position": entry.position,
                 "peer_name": None},
            )

    async def notify_overdue(self) -> None:
        """Tell people nobody claimed in time, honestly, with lines (each wait once)."""
        for conversation_id in self.handoff.overdue(self.config.handoff_timeout_seconds):
            async with self._locks[conversation_id]:
                await self._nobody_free(conversation_id, "No peer has been able to join yet")

    @staticmethod
    def _peer_state(conversation_id: str, state: str) -> dict[str, Any]:
        return {"type": "conversation_state", "conversation_id": conversation_id, "state": state}

    # peer side ------------------------------------------------------------------------------
    async def claim(self, conversation_id: str, peer: SignedIn) -> bool:
        async with self._locks[conversation_id]:
            if not self.handoff.claim(conversation_id, peer.user_id):
                return False
            frame = self.store.append(
                conversation_id, "system",
                f"{peer.display_name}, a peer recovery specialist, joined the chat.",
                custom={"type": "peer_joined", "name": peer.display_name},
            )
            await self.hub.to_person(conversation_id, frame)
            await self.hub.to_person(
                conversation_id,
                {"type": "state", "state": "with_peer", "position": None,
                 "peer_name": peer.display_name},
            )
            await self.hub.to_peer(peer.user_id, self.transcript(conversation_id))
        await self.broadcast_queue()
        return True

    def transcript(self, conversation_id: str) -> dict[str, Any]:
        conversation = self.store.get(conversation_id)
        return {
            "type": "transcript",
            "conversation_id": conversation_id,
            "state": conversation.state if conversation else "deleted",
            "summary": (conversation.summary if conversation else None) or {},
            "messages": self.store.since(conversation_id),
        }

    def _owns(self, conversation_id: str, peer: SignedIn) -> bool:
        conversation = self.store.get(conversation_id)
        return (
            conversation is not None
            and conversation.state == "with_peer"
            and conversation.peer_user_id == peer.user_id
        )

    async def peer_send(
        self,
        conversation_id: str,
        peer: SignedIn,
        text: str | None,
        cards: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any] | None:
        """A peer's message (and/or resource cards) to the person; error frame if not allowed."""
        text = without_nul(text or "").strip() or None
        if text is not None and len(text) > self.config.max_message_chars:
            return error_frame("too_long", "That message is too long.")
        custom = None
        if cards:
            custom = {"type": "resources", "query": {}, "total": len(cards), "relaxed": False,
                      "resources": cards}
        if text is None and custom is None:
            return error_frame("empty", "Nothing to send.")
        async with self._locks[conversation_id]:
            if not self._owns(conversation_id, peer):
                return error_frame("not_yours", "This conversation is not with you any more.")
            frame = self.store.append(
                conversation_id, "peer", text, custom=custom, author=peer.display_name
            )
            await self.hub.to_person(conversation_id, frame)
            await self.hub.to_peer(peer.user_id, frame)
        return None

    async def return_to_bot(self, conversation_id: str, peer: SignedIn) -> dict[str, Any] | None:
        async with self._locks[conversation_id]:
            if not self._owns(conversation_id, peer):
                return error_frame("not_yours", "This conversation is not with you any more.")
            try:
                await self.rasa.resume(conversation_id)
            except RasaUnavailable:
                return error_frame(
                    "rasa_unavailable",
                    "The assistant is not answering, so the conversation stays with you.",
                )
            self.handoff.to_bot(conversation_id, peer.user_id)
            await self._system(
                conversation_id,
                f"{peer.display_name} handed the chat back to the automated assistant. You can "
                "keep asking for help here, or ask for a peer again anytime.",
                peer_id=peer.user_id,
            )
            await self.hub.to_peer(peer.user_id, self._peer_state(conversation_id, "bot"))
        await self.send_state(conversation_id)
        return None

    async def peer_close(self, conversation_id: str, peer: SignedIn) -> dict[str, Any] | None:
        async with self._locks[conversation_id]:
            if not self.handoff.close(conversation_id, peer.user_id):
                return error_frame("not_yours", "This conversation is not with you any more.")
            await self._system(
                conversation_id,
                f"{peer.display_name} closed the peer chat. The automated assistant is still "
                "here, and you can ask for a peer again anytime.",
                peer_id=peer.user_id,
            )
            await self.hub.to_peer(peer.user_id, self._peer_state(conversation_id, "closed"))
        await self.send_state(conversation_id)
        return None
