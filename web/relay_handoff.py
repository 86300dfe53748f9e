"""The answer to a handoff: the web app alone decides whether a peer is available.

The assistant only asks (actions/handoff.py): `{"type": "handoff", "status": "requested",
"summary": …}` (contract §4). On that frame the relay decides with its own presence rule
(`RelayBase.peer_available`: online, seen within `presence_window_seconds`) and the person's
widget gets the contract's answer, the same frames and words as when the assistant decided:
- `queued`: the handoff frame as `queued`, "I'm connecting you with a peer recovery
  specialist…", then their place in line; every console sees them (web/language_offer.py
  decides who first). Rasa is not paused: the relay sends nothing to it while the person
  waits or talks with a peer, and the peer's "return to assistant" resumes it anyway.
- `unavailable`: the frame as `unavailable`, the national lines to reach a person now
  (web/lines.py), "I can keep helping…" and the offer to wait; after a crisis, the crisis
  reply for nobody online instead. The assistant keeps answering.
Every word is the web app's catalog's (web/notices.py, web/locale/), in the person's language.

`queued` and `unavailable` from Rasa (an older action server, which worded them itself and
paused the tracker for `queued`) are followed as before, without words of ours.
"""

from __future__ import annotations

from typing import Any

from web import metrics, notices
from web.frames import BACK_TO_BOT_BUTTON, WAIT_BUTTON
from web.i18n import button, translate
from web.lines import fallback_lines
from web.relay_base import RelayBase

REQUESTED, QUEUED, UNAVAILABLE = "requested", "queued", "unavailable"
#: what the web app says when Rasa is down and the person asks for a peer
NO_BOT_SUMMARY = "Asked for a peer while the assistant was not answering."


class HandoffSide(RelayBase):
    """Decide a requested handoff, word it, and queue the person or keep the assistant."""

    async def decide_handoff(self, custom: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The handoff frame as the widget gets it, and whether the web app decided it (and so
        words it): a `requested` one becomes `queued` or `unavailable`."""
        if custom.get("status") != REQUESTED:
            return custom, False
        status = QUEUED if await self.peer_available() else UNAVAILABLE
        return {**custom, "status": status}, True

    async def _on_handoff(
        self,
        conversation_id: str,
        custom: dict[str, Any],
        crisis_kind: str | None,
        *,
        decided: bool = False,
    ) -> None:
        """After the turn that carried the handoff frame: queue, or keep the assistant."""
        raw = custom.get("summary")
        summary: dict[str, Any] = raw if isinstance(raw, dict) else {}
        metrics.HANDOFFS.labels(str(custom.get("status"))).inc()
        if custom.get("status") == UNAVAILABLE:
            # The person may still choose to wait; the summary is kept for that.
            await self.db(self.handoff.remember_summary, conversation_id, summary)
            if crisis_kind is not None:
                await self._crisis(conversation_id, crisis_kind, "no_peer")
            else:
                if decided:
                    await self._nobody_available(conversation_id)
                await self._notice(conversation_id, notices.MAY_WAIT, WAIT_BUTTON)
            await self.send_state(conversation_id)
            return
        if decided:
            language = await self.language(conversation_id)
            await self._system(conversation_id, translate(language, notices.QUEUED),
                               language=language, sender="bot")
        await self.db(self.handoff.queue, conversation_id, summary)
        await self.send_state(conversation_id)
        await self.broadcast_queue()

    async def _nobody_available(self, conversation_id: str) -> None:
        """The lines to reach a person now, and that the assistant keeps helping (the words
        the assistant said before the web app decided)."""
        language = await self.language(conversation_id)
        lines = fallback_lines(language)
        await self._system(
            conversation_id,
            notices.with_lines(language, notices.UNAVAILABLE, lines),
            custom={"type": "lines", "lines": lines},
            language=language,
            sender="bot",
        )
        await self._system(conversation_id, translate(language, notices.KEEP_HELPING),
                           language=language, sender="bot")

    async def _queue_without_bot(self, conversation_id: str) -> bool:
        """Rasa is down and the person asked for a peer: the web app queues them itself.
        True when they were shown crisis lines."""
        summary: dict[str, Any] = {
            "needs": [], "location": None, "insurance": None, "notes": NO_BOT_SUMMARY,
        }
        await self.db(self.handoff.queue, conversation_id, summary)
        crisis_kind = await self.db(self.handoff.crisis_kind, conversation_id)
        if await self.peer_available():
            await self._notice(conversation_id, notices.PEER_ASKED)
        elif crisis_kind is not None:
            await self._crisis(conversation_id, crisis_kind, "waiting_no_peer")
        else:
            await self._nobody_free(conversation_id, overdue=False)
        await self.send_state(conversation_id)
        await self.broadcast_queue()
        return crisis_kind is not None

    async def _nobody_free(self, conversation_id: str, *, overdue: bool) -> None:
        """In line and nobody is online (or, `overdue`, nobody claimed the wait in time): keep
        waiting, or reach someone now."""
        language = await self.language(conversation_id)
        lines = fallback_lines(language)
        await self._system(
            conversation_id,
            notices.nobody_free(language, lines, overdue=overdue),
            custom={"type": "lines", "lines": lines},
            buttons=[button(language, BACK_TO_BOT_BUTTON)],
            language=language,
        )
