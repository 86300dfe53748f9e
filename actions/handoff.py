"""`action_request_handoff`: hand the conversation to a live peer recovery specialist.

A peer counts as available when `peer_presence` (owned by the web app) has a row with
status 'online' seen within the last two minutes. With someone online the handoff is
`queued` and the bot pauses; otherwise it is `unavailable`, the person gets national lines
they can call now, and the assistant keeps helping.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import DateTime, String, text
from sqlalchemy.exc import SQLAlchemyError

from actions import formatting
from core.redaction import coarse_label
from resources_db.db import session_scope
from resources_db.national import UNAVAILABLE_LINE_KEYS, national_lines

logger = logging.getLogger(__name__)

PRESENCE_WINDOW = timedelta(minutes=2)

#: What the person reads, as responses in bot/domain/responses.yml (each with a Spanish
#: variation on the chat_language slot).
QUEUED_RESPONSE = "utter_handoff_queued"
UNAVAILABLE_RESPONSE = "utter_handoff_unavailable"
KEEP_HELPING_RESPONSE = "utter_handoff_keep_helping"

_ONLINE_PEERS = text(
    "SELECT status, last_seen_at FROM peer_presence WHERE status = 'online'"
).columns(status=String(), last_seen_at=DateTime(timezone=True))


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def count_online_peers(now: datetime | None = None) -> int:
    """Peers online and seen in the last two minutes; 0 when the table is missing."""
    cutoff = _as_utc(now or datetime.now(UTC)) - PRESENCE_WINDOW
    try:
        with session_scope() as session:
            rows = session.execute(_ONLINE_PEERS).all()
    except SQLAlchemyError as error:
        logger.info("peer presence not available (%s); counting nobody online", type(error))
        return 0
    return sum(1 for row in rows if row.last_seen_at and _as_utc(row.last_seen_at) >= cutoff)


def handoff_reason(tracker: Tracker) -> str:
    """Why the person is being handed over, in a few words for the peer."""
    intent = (tracker.latest_message or {}).get("intent", {}).get("name")
    crisis_kind = tracker.get_slot("crisis_kind")
    if intent == "nlu_fallback":
        return "The assistant did not understand several messages in a row."
    if crisis_kind:
        return f"Asked for a peer after a crisis reply ({crisis_kind})."
    return "Asked to talk with a peer."


def handoff_summary(tracker: Tracker) -> dict[str, Any]:
    """The contract's handoff summary: needs, coarse place, insurance, notes."""
    needs = list(tracker.get_slot("needs") or [])
    current = tracker.get_slot("current_need")
    if current and current not in needs:
        needs.insert(0, current)
    insurance = tracker.get_slot("insurance")
    notes = [handoff_reason(tracker)]
    shown = tracker.get_slot("shown_resources") or []
    if shown:
        notes.append(f"Was shown {len(shown)} result(s) for "
                     f"{formatting.need_label(str(current))}.")
    return {
        "needs": needs,
        "location": _coarse_location(tracker.get_slot("location")),
        "insurance": None if insurance in (None, "", "any") else insurance,
        "notes": " ".join(notes),
    }


def _coarse_location(label: Any) -> str | None:
    """The summary goes into the web app's tables: a city or ZIP3, never more."""
    return coarse_label(str(label)) if label else None


def unavailable_lines() -> list[Mapping[str, Any]]:
    lines = {line.get("key"): line for line in national_lines()}
    return [lines[key] for key in UNAVAILABLE_LINE_KEYS if key in lines]


class ActionRequestHandoff(Action):
    """Queue the conversation for a peer, or say honestly that nobody is online."""

    def name(self) -> str:
        return "action_request_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        summary = handoff_summary(tracker)
        if count_online_peers() > 0:
            dispatcher.utter_message(
                json_message={"type": "handoff", "status": "queued", "summary": summary})
            dispatcher.utter_message(response=QUEUED_RESPONSE)
            return [ConversationPaused()]
        dispatcher.utter_message(
            json_message={"type": "handoff", "status": "unavailable", "summary": summary})
        dispatcher.utter_message(
            response=UNAVAILABLE_RESPONSE,
            lines="\n".join(formatting.national_line_text(line) for line in unavailable_lines()),
        )
        dispatcher.utter_message(response=KEEP_HELPING_RESPONSE)
        return []
