"""The peer's side of the relay: claim a waiting person, write and send cards, hand the chat
back to the assistant (with the cards the peer sent), or close it."""

from __future__ import annotations

from typing import Any

from web import metrics, notices
from web.accounts import SignedIn
from web.frames import (
    cards_sent_by_peer,
    error_frame,
    peer_state,
    state_frame,
    without_nul,
)
from web.i18n import translate
from web.models import utcnow
from web.rasa_client import RasaUnavailable
from web.relay_base import RelayBase, log

NOT_YOURS = "This conversation is not with you any more."


class PeerSide(RelayBase):
    """What a signed-in peer (or admin) does from the console."""

    async def claim(self, conversation_id: str, peer: SignedIn) -> bool:
        async with self._locks[conversation_id]:
            before = await self.db(self.store.get, conversation_id)
            if not await self.db(self.handoff.claim, conversation_id, peer.user_id):
                return False
            if before is not None and before.waiting_since is not None:
                waited = utcnow() - before.waiting_since
                metrics.QUEUE_WAIT_SECONDS.observe(max(0.0, waited.total_seconds()))
            language = await self.language(conversation_id)
            frame = await self.db(
                self.store.append,
                conversation_id,
                "system",
                translate(language, notices.PEER_JOINED, name=peer.display_name),
                custom={"type": "peer_joined", "name": peer.display_name},
            )
            await self.hub.to_person(conversation_id, {**frame, "language": language})
            await self.hub.to_person(
                conversation_id,
                state_frame("with_peer", peer_name=peer.display_name, language=language),
            )
            await self.hub.to_peer(peer.user_id, await self.transcript(conversation_id))
        await self.broadcast_queue()
        return True

    async def _owns(self, conversation_id: str, peer: SignedIn) -> bool:
        conversation = await self.db(self.store.get, conversation_id)
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
            custom = {
                "type": "resources",
                "query": {},
                "total": len(cards),
                "relaxed": False,
                "resources": cards,
            }
        if text is None and custom is None:
            return error_frame("empty", "Nothing to send.")
        async with self._locks[conversation_id]:
            if not await self._owns(conversation_id, peer):
                return error_frame("not_yours", NOT_YOURS)
            frame = await self.db(
                self.store.append,
                conversation_id,
                "peer",
                text,
                custom=custom,
                author=peer.display_name,
            )
            await self.hub.to_person(conversation_id, frame)
            await self.hub.to_peer(peer.user_id, frame)
        return None

    async def return_to_bot(self, conversation_id: str, peer: SignedIn) -> dict[str, Any] | None:
        async with self._locks[conversation_id]:
            if not await self._owns(conversation_id, peer):
                return error_frame("not_yours", NOT_YOURS)
            try:
                await self.rasa.resume(conversation_id)
            except RasaUnavailable:
                return error_frame(
                    "rasa_unavailable",
                    "The assistant is not answering, so the conversation stays with you.",
                )
            await self._share_cards_with_assistant(conversation_id)
            await self.db(self.handoff.to_bot, conversation_id, peer.user_id)
            await self._peer_left(conversation_id, peer, notices.PEER_RETURNED, "bot")
        await self.send_state(conversation_id)
        return None

    async def _peer_left(
        self, conversation_id: str, peer: SignedIn, message: str, state: str
    ) -> None:
        """The peer handed the chat back or closed it: the person is told (in their language,
        the peer sees it too) and the peer's console shows the conversation's new `state`."""
        language = await self.language(conversation_id)
        await self._system(
            conversation_id,
            translate(language, message, name=peer.display_name),
            peer_id=peer.user_id,
            language=language,
        )
        await self.hub.to_peer(peer.user_id, peer_state(conversation_id, state))

    async def _share_cards_with_assistant(self, conversation_id: str) -> None:
        """The cards the peer sent become the assistant's `shown_resources`, so "what's their
        number" or "the second one" is answered about them. Best effort: the return itself
        has already succeeded."""
        cards = cards_sent_by_peer(await self.db(self.store.since, conversation_id))
        if not cards:
            return
        try:
            await self.rasa.set_slot(conversation_id, "shown_resources", cards)
        except RasaUnavailable as exc:
            log.warning("could not give the assistant the peer's cards: %s", exc)

    async def peer_close(self, conversation_id: str, peer: SignedIn) -> dict[str, Any] | None:
        async with self._locks[conversation_id]:
            if not await self.db(self.handoff.close, conversation_id, peer.user_id):
                return error_frame("not_yours", NOT_YOURS)
            await self._peer_left(conversation_id, peer, notices.PEER_CLOSED, "closed")
        await self.send_state(conversation_id)
        return None
