"""`action_request_handoff`: ask for a live peer recovery specialist.

The action only asks: it sends the contract's `{"type": "handoff", "status": "requested",
"summary": …}` and nothing else. Whether a peer is available, and what the person reads about
it, is the web app's decision alone (web/relay_person.py, with its presence window and its
message catalog): it queues the person or gives the national lines and keeps the assistant
answering. The action server never reads the web app's tables.

No `ConversationPaused`: the web app does not relay a person's messages to Rasa while they
wait for or talk with a peer, and a person told nobody is free must keep talking with the
assistant (a paused tracker would answer them with nothing). The web app still sends
`resume` when a peer gives the conversation back, which un-pauses conversations paused by an
older action server and does nothing otherwise (docs/architecture.md, "Peer handoff").
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.base import NamedAction
from core.redaction import coarse_label

#: contract §4: the web app answers a request with `queued` or `unavailable`
REQUESTED = "requested"


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


class ActionRequestHandoff(NamedAction):
    """Ask the web app for a peer, with what the peer should know first."""

    action_name = "action_request_handoff"

    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        dispatcher.utter_message(json_message={
            "type": "handoff", "status": REQUESTED, "summary": handoff_summary(tracker)})
        return []
