"""What both sides of the chat relay share: the wiring, per-conversation locks, system notices
(crisis replies among them), the person's status line and the queue broadcast."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from web import language_offer, metrics
from web.config import WebConfig
from web.crisis_text import crisis_reply
from web.frames import state_frame
from web.handoff import Handoff, QueueEntry
from web.i18n import button, translate
from web.models import Conversation
from web.off_loop import off_loop
from web.peer_hub import PeerHub
from web.rasa_client import RasaClient, RasaUnavailable
from web.ratelimit import RateLimits
from web.store import ConversationStore

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger("web.relay")


@dataclass(eq=False, repr=False)
class RelayBase:
    """Routes messages between the person's widget, Rasa and the peer console.

    A dataclass for its wiring only: compared and hashed by identity (one relay per app),
    and no generated repr (the config holds secrets).
    """

    config: WebConfig
    store: ConversationStore
    handoff: Handoff
    hub: PeerHub
    rasa: RasaClient
    limits: RateLimits
    _locks: defaultdict[str, asyncio.Lock] = field(
        default_factory=lambda: defaultdict(asyncio.Lock), init=False
    )

    async def db(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """A database call off the event loop, within the configured time (web/off_loop.py)."""
        return await off_loop(self.config.database_timeout_seconds, fn, *args, **kwargs)

    async def _system(
        self,
        conversation_id: str,
        text: str,
        *,
        custom: dict[str, Any] | None = None,
        buttons: list[dict[str, str]] | None = None,
        peer_id: int | None = None,
        language: str | None = None,
        sender: str = "system",
    ) -> dict[str, Any]:
        """Store and send a notice of the web app's own (worded in `language` by the caller;
        the frame carries it, or the conversation's when not given). `sender` "bot": words
        the assistant said before the web app took them over (the handoff's answer)."""
        stored = await self.db(
            self.store.append, conversation_id, sender, text, custom=custom, buttons=buttons
        )
        if custom is not None and custom.get("type") == "crisis":
            metrics.CRISIS_REPLIES.labels(str(custom.get("kind"))).inc()
        frame = await self.with_language(conversation_id, stored, language)
        await self.hub.to_person(conversation_id, frame)
        if peer_id is not None:
            await self.hub.to_peer(peer_id, frame)
        return frame

    async def _notice(
        self, conversation_id: str, message: str, with_button: dict[str, str] | None = None
    ) -> None:
        """A catalog message (web/notices.py), with at most one button, in the person's
        language."""
        language = await self.language(conversation_id)
        await self._system(
            conversation_id,
            translate(language, message),
            buttons=[button(language, with_button)] if with_button else None,
            language=language,
        )

    async def _crisis(
        self,
        conversation_id: str,
        kind: str,
        context: str,
        *,
        subject: str = "unknown",
        peer_id: int | None = None,
        peer_name: str | None = None,
        language: str | None = None,
    ) -> None:
        """The crisis reply for where the person is; in the language of the message that
        raised it, else the one last read in this conversation. A crisis known only by its
        stored kind (no message just read) has no `subject` or `language`."""
        position = (
            await self.db(self.handoff.position, conversation_id)
            if context in ("waiting", "waiting_no_peer", "overdue")
            else None
        )
        if language is None:
            language = await self.language(conversation_id)
        reply = crisis_reply(
            kind, subject, context, position=position, peer_name=peer_name, language=language
        )
        await self._system(
            conversation_id,
            reply.text,
            custom=reply.custom,
            buttons=reply.buttons,
            peer_id=peer_id,
            language=language,
        )

    async def peer_available(self) -> bool:
        """Some peer is online and seen within the presence window: the one rule for "a peer
        is available" (the action server no longer has one)."""
        window = self.config.presence_window_seconds
        return await self.db(self.handoff.online_count, window) > 0

    async def language(self, conversation_id: str) -> str | None:
        """The language the person writes in, as last read ("en", "es"), or None."""
        return await self.db(self.handoff.language, conversation_id)

    async def with_language(
        self, conversation_id: str, frame: dict[str, Any], language: str | None = None
    ) -> dict[str, Any]:
        """A live message frame for the person, with the conversation's `language` (contract:
        docs/contract.md §6); stored copies have none."""
        if language is None:
            language = await self.language(conversation_id)
        return {**frame, "language": language}

    async def _resume_quietly(self, conversation_id: str) -> None:
        try:
            await self.rasa.resume(conversation_id)
        except RasaUnavailable as exc:
            log.warning("could not resume conversation in Rasa: %s", exc)

    async def state_frame(self, conversation_id: str) -> dict[str, Any]:
        conversation = await self.db(self.store.get, conversation_id)
        state = conversation.state if conversation else "bot"
        language = conversation.language if conversation else None
        if state == "waiting":
            return state_frame(
                state,
                position=await self.db(self.handoff.position, conversation_id),
                language=language,
            )
        if state == "with_peer" and conversation and conversation.peer_user_id is not None:
            return state_frame(
                state,
                peer_name=await self.db(self.handoff.display_name, conversation.peer_user_id),
                language=language,
            )
        return state_frame(state, language=language)

    async def send_state(self, conversation_id: str) -> None:
        await self.hub.to_person(conversation_id, await self.state_frame(conversation_id))

    async def queue_frame(self, entries: list[QueueEntry]) -> dict[str, Any]:
        """The queue with who sees each person first (web/language_offer.py)."""
        available = await self.db(
            self.handoff.available_languages, self.config.presence_window_seconds
        )
        return language_offer.queue_frame(
            entries, available, self.config.language_match_seconds
        )

    async def broadcast_queue(self) -> None:
        """Peers see the queue change (each their own view of it, web/peer_hub.py); each
        waiting person sees their new place in line."""
        entries = await self.db(self.handoff.waiting)
        metrics.QUEUE_LENGTH.set(len(entries))
        await self.hub.to_all_peers(await self.queue_frame(entries))
        for entry in entries:
            # The person may be connected to another web instance: always send.
            await self.hub.to_person(
                entry.conversation_id,
                state_frame("waiting", position=entry.position, language=entry.language),
            )

    async def transcript(self, conversation_id: str) -> dict[str, Any]:
        conversation = await self.db(self.store.get, conversation_id)
        return {
            "type": "transcript",
            "conversation_id": conversation_id,
            "state": conversation.state if conversation else "deleted",
            "summary": (conversation.summary if conversation else None) or {},
            "crisis": _crisis_of(conversation),
            "messages": await self.db(self.store.since, conversation_id),
        }


def _crisis_of(conversation: Conversation | None) -> dict[str, Any] | None:
    if conversation is None or conversation.crisis_kind is None:
        return None
    at = conversation.crisis_at
    return {
        "kind": conversation.crisis_kind,
        "at": at.isoformat().replace("+00:00", "Z") if at else None,
    }
