"""The person's side of the relay: each message goes to Rasa or to the peer, and a crisis is
answered first whatever the state of the handoff.

Every message a person sends is read by the crisis detector (core/crisis/, pure standard
library) before anything else, in every state:
- with the assistant: the assistant's own crisis reply normally answers; if its turn carried
  none (or it could not answer), the web app sends the lines itself;
- waiting for a peer: the lines at once, the person moves to the front of the queue, and
  every console sees the urgent entry;
- with a peer: the lines go to the person, and the peer's console shows a crisis banner;
- after a peer returned or closed the chat: as with the assistant, and that peer is told.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from core.crisis import CrisisSignal, detect_crisis
from core.language import read_language
from core.redaction import coarsen
from web import metrics, notices
from web.crisis_text import peer_alert
from web.frame_reader import for_rasa
from web.frames import (
    BACK_TO_BOT_BUTTON,
    PEER_BUTTON,
    REQUEST_PEER,
    SHARE_LOCATION,
    STOP_WAITING,
    WAIT_FOR_PEER,
    clean_buttons,
    error_frame,
    peer_state,
    unavailable_frame,
    without_nul,
)
from web.i18n import button, translate
from web.lines import fallback_lines
from web.rasa_client import RasaUnavailable
from web.relay_base import log
from web.relay_handoff import HandoffSide
from web.tracker_events import delete_conversation

#: the widget's English / Español button (docs/assistant.md "Languages")
CHOOSE_LANGUAGE = re.compile(r'^/choose_language\{\s*"chat_language"\s*:\s*"(en|es)"\s*\}\Z')


def chosen_language(text: str) -> str | None:
    """"es" for `/choose_language{"chat_language": "es"}`, else None."""
    match = CHOOSE_LANGUAGE.match(text)
    return match.group(1) if match else None


class PersonSide(HandoffSide):
    """Messages, ending and deleting, from the person's widget."""

    async def person_message(
        self,
        conversation_id: str,
        text: str,
        client_id: str,
        address: str,
        display: str | None = None,
        shown_language: str | None = None,
    ) -> dict[str, Any] | None:
        """Handle one message from a person; returns an error frame for them, or None.

        Errors are worded in `shown_language`, the language the person's widget shows.
        When the database is unavailable nothing can be stored or relayed: the person gets a
        kind error (the widget puts their text back in the box) with phone lines.
        """
        try:
            return await self._person_message(
                conversation_id, text, client_id, address, display, shown_language
            )
        except SQLAlchemyError as exc:
            log.warning("database unavailable for a message: %s", exc.__class__.__name__)
            return unavailable_frame(client_id, shown_language)

    async def _person_message(
        self,
        conversation_id: str,
        text: str,
        client_id: str,
        address: str,
        display: str | None,
        language: str | None,
    ) -> dict[str, Any] | None:
        text = without_nul(text).strip()
        display = without_nul(display) if display is not None else None
        if not text:
            return error_frame("empty", translate(language, notices.EMPTY), client_id)
        if len(text) > self.config.max_message_chars or len(display or "") > 200:
            return error_frame(
                "too_long", notices.too_long(language, self.config.max_message_chars), client_id
            )
        async with self._locks[conversation_id]:
            existing = await self.db(self.store.by_client_id, conversation_id, client_id)
            if existing is not None:  # a resend after a reconnect: already handled
                await self.hub.to_person(conversation_id, existing)
                return None
            if not (
                self.limits.hit("conversation", conversation_id)
                and self.limits.hit("address", address)
            ):
                return error_frame("rate_limited", translate(language, notices.TOO_FAST), client_id)
            await self._handle_person_message(conversation_id, text, client_id, display)
        return None

    async def _handle_person_message(
        self, conversation_id: str, text: str, client_id: str, display: str | None
    ) -> None:
        conversation = await self.db(self.store.get, conversation_id)
        state = conversation.state if conversation else "bot"
        peer_id = conversation.peer_user_id if conversation else None
        frame = await self.db(
            self.store.append, conversation_id, "person", display or text, client_id=client_id
        )
        signal = detect_crisis(text)
        language = conversation.language if conversation else None
        if signal is not None:
            await self.db(self.handoff.mark_crisis, conversation_id, signal.kind, signal.language)
            language = signal.language or language
        else:
            read = chosen_language(text) or read_language(text)
            if read and read != language:
                await self.db(self.handoff.set_language, conversation_id, read)
                language = read
                if state == "waiting":  # Spanish-speaking peers are offered them first
                    await self.broadcast_queue()
        await self.hub.to_person(conversation_id, {**frame, "language": language})
        if state == "with_peer" and peer_id is not None:
            await self.hub.to_peer(peer_id, frame)
            if signal is not None:
                await self._crisis_with_peer(conversation_id, signal, peer_id)
            return
        if state == "waiting":
            if signal is not None:
                await self._crisis_while_waiting(conversation_id, signal)
            else:
                await self._while_waiting(conversation_id, text)
            return
        if state == "closed":
            await self.db(self.handoff.to_bot, conversation_id)
            await self._resume_quietly(conversation_id)
        if text == WAIT_FOR_PEER:
            await self._wait_for_peer(conversation_id)
            return
        crisis_shown = await self._bot_turn(
            conversation_id, for_rasa(text, display), signal, language
        )
        if signal is not None:
            if not crisis_shown:
                await self._crisis_after_turn(conversation_id, signal)
            if peer_id is not None:  # the peer who last had the chat (returned or closed)
                await self.hub.to_peer(
                    peer_id, peer_alert(conversation_id, signal.kind, signal.subject, "bot")
                )

    # crisis (replies: RelayBase._crisis) -----------------------------------------------------
    async def _crisis_with_peer(
        self, conversation_id: str, signal: CrisisSignal, peer_id: int
    ) -> None:
        name = await self.db(self.handoff.display_name, peer_id)
        await self._crisis(
            conversation_id,
            signal.kind,
            "with_peer",
            subject=signal.subject,
            peer_id=peer_id,
            peer_name=name,
            language=signal.language,
        )
        await self.hub.to_peer(
            peer_id, peer_alert(conversation_id, signal.kind, signal.subject, "with_peer")
        )

    async def _crisis_after_turn(self, conversation_id: str, signal: CrisisSignal) -> None:
        """The assistant's turn had no crisis reply: the web app's, for where the person is
        now (the same turn may have put them in line for a peer)."""
        conversation = await self.db(self.store.get, conversation_id)
        if conversation is not None and conversation.state == "waiting":
            await self._crisis_while_waiting(conversation_id, signal)
        else:
            await self._crisis(
                conversation_id, signal.kind, "bot", subject=signal.subject,
                language=signal.language,
            )

    async def _crisis_while_waiting(self, conversation_id: str, signal: CrisisSignal) -> None:
        """The lines at once; the queue (already reordered) reaches every console."""
        context = "waiting" if await self.peer_available() else "waiting_no_peer"
        await self._crisis(
            conversation_id, signal.kind, context, subject=signal.subject,
            language=signal.language,
        )
        await self.send_state(conversation_id)
        await self.broadcast_queue()

    # waiting ------------------------------------------------------------------------------
    async def _wait_for_peer(self, conversation_id: str) -> None:
        """The person chose to wait although nobody was online: queue them (from now on their
        messages are not sent to Rasa, docs/architecture.md "Peer handoff")."""
        await self.db(self.handoff.queue, conversation_id, None)
        await self._notice(conversation_id, notices.WAITING_ANYWAY, BACK_TO_BOT_BUTTON)
        await self.send_state(conversation_id)
        await self.broadcast_queue()

    async def _while_waiting(self, conversation_id: str, text: str) -> None:
        if text == STOP_WAITING:
            await self.db(self.handoff.to_bot, conversation_id)
            await self._resume_quietly(conversation_id)
            await self._notice(conversation_id, notices.BACK_WITH_ASSISTANT)
            await self.broadcast_queue()
        await self.send_state(conversation_id)

    # the assistant -----------------------------------------------------------------------
    async def _bot_turn(
        self,
        conversation_id: str,
        text: str,
        signal: CrisisSignal | None = None,
        language: str | None = None,
    ) -> bool:
        """One turn with Rasa; True when the person was shown crisis lines in it. Its frames
        carry `language`, the language the person writes in."""
        if text.startswith(SHARE_LOCATION):
            # Precise coordinates never reach Rasa or its tracker store (docs/privacy.md).
            text = coarsen(text)
        try:
            with metrics.TURN_SECONDS.time():
                replies = await self.rasa.send(conversation_id, text, {"channel": "web"})
        except RasaUnavailable as exc:
            metrics.ERRORS.labels("rasa").inc()
            log.warning("Rasa unavailable for a turn: %s", exc)
            return await self._bot_failed(conversation_id, text, signal)
        shown, crisis_shown = 0, False
        handoff: dict[str, Any] | None = None
        crisis_kind: str | None = None
        decided = False  # the web app decided a requested handoff, so it words the answer
        for reply in replies:
            custom = reply.get("custom") if isinstance(reply.get("custom"), dict) else None
            text_out = reply.get("text") if isinstance(reply.get("text"), str) else None
            if text_out is None and custom is None and not reply.get("buttons"):
                continue
            if crisis_kind is not None:
                # Nobody is online after a crisis: the web app's crisis reply replaces the
                # rest of this turn (plain-text numbers, "keep looking for services").
                continue
            kind = custom.get("type") if custom is not None else None
            if custom is not None and kind == "handoff":
                custom, decided = await self.decide_handoff(custom)  # web/relay_handoff.py
            frame = await self.db(
                self.store.append,
                conversation_id,
                "bot",
                text_out,
                buttons=clean_buttons(reply.get("buttons")),
                custom=custom,
            )
            await self.hub.to_person(conversation_id, {**frame, "language": language})
            shown += 1
            crisis_shown = crisis_shown or kind == "crisis"
            if custom is not None and kind == "crisis":
                metrics.CRISIS_REPLIES.labels(str(custom.get("kind"))).inc()
            if custom is not None and kind == "handoff":
                handoff = custom
                if custom.get("status") == "unavailable":
                    crisis_kind = await self.db(self.handoff.crisis_kind, conversation_id)
        if shown == 0:
            # Rasa answers a turn with nothing when a custom action failed (the action server
            # is down: Rasa logs it and "continues"). Silence would look like a hang.
            log.warning("Rasa returned an empty turn (is the action server down?)")
            return await self._bot_failed(conversation_id, text, signal)
        if handoff is not None:
            await self._on_handoff(conversation_id, handoff, crisis_kind, decided=decided)
        return crisis_shown or crisis_kind is not None

    async def _bot_failed(
        self, conversation_id: str, text: str, signal: CrisisSignal | None
    ) -> bool:
        if text == REQUEST_PEER:
            return await self._queue_without_bot(conversation_id)
        return await self._fallback(conversation_id, signal)

    async def _fallback(self, conversation_id: str, signal: CrisisSignal | None) -> bool:
        """The assistant could not answer: say so kindly, give lines and the peer option.

        The crisis check is pure standard library, so it still runs here: someone who writes
        about an overdose while the assistant is down gets the emergency lines first.
        """
        if signal is not None:
            await self._crisis(
                conversation_id,
                signal.kind,
                "assistant_down",
                subject=signal.subject,
                language=signal.language,
            )
            return True
        language = await self.language(conversation_id)
        lines = fallback_lines(language)
        await self._system(
            conversation_id,
            notices.assistant_down(language, lines),
            custom={"type": "lines", "lines": lines},
            buttons=[button(language, PEER_BUTTON)],
            language=language,
        )
        return False

    async def notify_overdue(self) -> None:
        """Tell people nobody claimed in time, honestly, with lines (each wait once)."""
        for conversation_id in await self.db(
            self.handoff.overdue, self.config.handoff_timeout_seconds
        ):
            async with self._locks[conversation_id]:
                crisis_kind = await self.db(self.handoff.crisis_kind, conversation_id)
                if crisis_kind is not None:
                    await self._crisis(conversation_id, crisis_kind, "overdue")
                else:
                    await self._nobody_free(conversation_id, overdue=True)

    # ending and erasing ---------------------------------------------------------------------
    async def person_end(self, conversation_id: str) -> None:
        """The person ends their peer chat, or stops waiting for one (worded for each)."""
        async with self._locks[conversation_id]:
            conversation = await self.db(self.store.get, conversation_id)
            if conversation is None or conversation.state not in ("waiting", "with_peer"):
                return
            peer_id = conversation.peer_user_id if conversation.state == "with_peer" else None
            if not await self.db(self.handoff.close, conversation_id):
                return
            language = conversation.language
            if peer_id is None:
                text = translate(language, notices.STOPPED_WAITING)
            else:
                name = await self.db(self.handoff.display_name, peer_id)
                text = notices.ended_chat(language, name)
            await self._system(conversation_id, text, peer_id=peer_id, language=language)
            if peer_id is not None:
                await self.hub.to_peer(peer_id, peer_state(conversation_id, "closed"))
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
            conversation = await self.db(self.store.get, conversation_id)
            peer_id = conversation.peer_user_id if conversation else None
            was_waiting = conversation is not None and conversation.state == "waiting"
            await self.db(self.store.delete, conversation_id)
        self._locks.pop(conversation_id, None)
        await self.hub.to_person(conversation_id, {"type": "deleted"})
        if peer_id is not None:
            await self.hub.to_peer(peer_id, peer_state(conversation_id, "deleted"))
        if was_waiting:
            await self.broadcast_queue()
        return True
