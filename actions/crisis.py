"""`action_crisis_response`: answer an overdose, suicide risk or immediate danger first.

Runs whenever the NLU's crisis detector sets intent `crisis`, also in the middle of the
search form. The reply is, in this order: the contract's `crisis` custom payload (the lines
to call or text, all from national_resources.json), a few plain steps, and an offer to talk
with a peer, or, when the message itself asks for a person, the handoff at once. Any active
form is ended so nothing else is asked first; the person can pick the search up again
afterwards.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import NamedAction
from actions.handoff import ActionRequestHandoff
from actions.understanding import read_message
from core.crisis import CRISIS_KINDS, detect_crisis
from resources_db.national import crisis_lines

LANGUAGES = ("en", "es")
DEFAULT_KIND = "danger"  # when nothing tells us the kind, 911 first is the safe answer

#: The plain steps per kind, as responses in bot/domain/responses.yml (each with a Spanish
#: variation on the `chat_language` slot). Only these steps: no other medical advice.
STEP_RESPONSES: dict[str, str] = {
    "overdose": "utter_crisis_overdose",
    "suicide": "utter_crisis_suicide",
    "danger": "utter_crisis_danger",
}
#: The overdose reply to a person who says they took too much themselves: short, 911 and
#: naloxone only.
SELF_OVERDOSE_RESPONSE = "utter_crisis_overdose_self"
#: "Would you like to talk with a peer…?" with the Talk to a peer / Not now buttons.
PEER_OFFER_RESPONSE = "utter_crisis_offer_peer"


def crisis_kind(tracker: Tracker) -> str:
    """The kind from the detector's `crisis_kind` entity, else from the text, else danger."""
    for value in tracker.get_latest_entity_values("crisis_kind"):
        if value in CRISIS_KINDS:
            return str(value)
    text = tracker.latest_message.get("text")
    signal = detect_crisis(text) if isinstance(text, str) else None
    return signal.kind if signal else DEFAULT_KIND


def crisis_subject(tracker: Tracker) -> str:
    """Who is in danger according to the detector: "self", "other" or "unknown"."""
    text = tracker.latest_message.get("text")
    try:
        signal = detect_crisis(text) if isinstance(text, str) else None
    except Exception:  # the reply must go out whatever the detector does
        return "unknown"
    return str(getattr(signal, "subject", "unknown") or "unknown")


def send_steps(dispatcher: CollectingDispatcher, kind: str, subject: str) -> None:
    """First-person overdose wording when the person says it is them, else the bystander's."""
    if kind == "overdose" and subject == "self":
        dispatcher.utter_message(response=SELF_OVERDOSE_RESPONSE)
    else:
        dispatcher.utter_message(response=STEP_RESPONSES[kind])


def crisis_language(tracker: Tracker) -> str:
    """The language the detector read the message in (its `chat_language` entity), else the
    conversation's `chat_language` slot, else English."""
    for value in tracker.get_latest_entity_values("chat_language"):
        if value in LANGUAGES:
            return str(value)
    slot = tracker.get_slot("chat_language")
    return str(slot) if slot in LANGUAGES else "en"


def crisis_payload(kind: str, language: str = "en") -> dict[str, Any]:
    """The contract §4 `crisis` custom object, plus the language of the words around it (the
    widget words its own labels of the lines in it)."""
    return {"type": "crisis", "kind": kind, "lines": crisis_lines(kind), "language": language}


class ActionCrisisResponse(NamedAction):
    """Crisis payload first, then the steps, then the peer offer; ends any active form."""

    action_name = "action_crisis_response"

    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        kind = crisis_kind(tracker)
        dispatcher.utter_message(json_message=crisis_payload(kind, crisis_language(tracker)))
        send_steps(dispatcher, kind, crisis_subject(tracker))
        events: list[EventType] = [SlotSet("crisis_kind", kind)]
        if tracker.active_loop_name:
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        if read_message(tracker).wants_human:
            # "I want to talk to someone, …": asked already; a second question would only
            # delay them. The web app puts a crisis first in the queue.
            return events + await ActionRequestHandoff().respond(dispatcher, tracker)
        dispatcher.utter_message(response=PEER_OFFER_RESPONSE)
        return events
