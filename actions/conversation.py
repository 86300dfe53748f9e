"""Paging, follow-up questions about shown results, and the fallback.

- `action_show_more`: the next page for the need shown last.
- `action_answer_followup`: phone, address or hours of a shown result: the first one unless
  the person names one ("the second one", "the last one", or part of its name).
- `action_handle_fallback`: a gentle re-ask; the second miss in a row offers a peer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rapidfuzz import fuzz, process
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.forms import ASK_INSURANCE, ASK_LOCATION, INSURANCE_BUTTONS
from actions.search import PAGE_SIZE, plan_from_slots, result_slots, search_and_present

_ORDINALS: dict[str, int] = {
    "first": 0, "1st": 0, "#1": 0,
    "second": 1, "2nd": 1, "#2": 1,
    "third": 2, "3rd": 2, "#3": 2,
    "fourth": 3, "4th": 3, "#4": 3,
    "fifth": 4, "5th": 4, "#5": 4,
}
_ORDINAL_RE = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in _ORDINALS) + r")(?!\w)",
                         re.IGNORECASE)
_LAST_RE = re.compile(r"\blast\b", re.IGNORECASE)
NAME_MATCH_CUTOFF = 85
FALLBACKS_BEFORE_PEER = 2

FALLBACK_TEXT = ("Sorry, I didn't understand that. I can look for detox, medication, treatment, "
                 "recovery housing, meetings, naloxone, rides or insurance help. "
                 "What are you looking for?")
NOT_UNDERSTOOD_TEXT = "Sorry, I didn't understand that."
OFFER_PEER_TEXT = ("I'm still not understanding, I'm sorry. Would you like to talk with a peer "
                   "recovery specialist, a real person?")
OFFER_PEER_BUTTONS = [
    {"title": "Talk to a peer", "payload": "/request_peer"},
    {"title": "Keep going here", "payload": "/greet"},
]


def pick_resource(message: str, shown: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The result the person means: by position, by name, or else the first one."""
    if not shown:
        return None
    ordinal = _ORDINAL_RE.search(message or "")
    if ordinal:
        index = _ORDINALS[ordinal.group(1).lower()]
        return shown[index] if index < len(shown) else shown[-1]
    if _LAST_RE.search(message or ""):
        return shown[-1]
    names = [str(card.get("name") or "") for card in shown]
    match = process.extractOne(message or "", names, scorer=fuzz.partial_ratio,
                               score_cutoff=NAME_MATCH_CUTOFF)
    if match is not None and len(message or "") >= 4:
        return shown[match[2]]
    return shown[0]


def consecutive_fallbacks(events: Sequence[Mapping[str, Any]]) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent != "nlu_fallback":
            break
        count += 1
    return count


class ActionShowMore(Action):
    """Next page of results for the need shown last."""

    def name(self) -> str:
        return "action_show_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        need = tracker.get_slot("current_need")
        if not need:
            dispatcher.utter_message(response="utter_ask_needs")
            return []
        offset = int(tracker.get_slot("results_offset") or 0) + PAGE_SIZE
        total = int(tracker.get_slot("results_total") or 0)
        if offset >= total:
            dispatcher.utter_message(
                text=f"That's everything I found for {formatting.need_label(need)} nearby. "
                     "You can try another place, or ask to talk with a peer.")
            return []
        plan = plan_from_slots(tracker, need, offset=offset)
        body, cards = await search_and_present(dispatcher, plan)
        if body is None or not cards:
            return []
        return result_slots(need, plan, body, cards)


class ActionAnswerFollowup(Action):
    """Phone number, address or hours of one of the results shown last."""

    def name(self) -> str:
        return "action_answer_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        shown = tracker.get_slot("shown_resources") or []
        message = (tracker.latest_message or {}).get("text") or ""
        card = pick_resource(message, shown)
        if card is None:
            dispatcher.utter_message(
                text="I haven't shown you any places yet. What are you looking for, and where?")
            return []
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        if intent == "ask_address":
            dispatcher.utter_message(text=formatting.address_text(card))
        elif intent == "ask_hours":
            dispatcher.utter_message(text=formatting.hours_text(card))
        else:
            dispatcher.utter_message(text=formatting.phone_text(card))
        return []


def reask_requested_slot(dispatcher: CollectingDispatcher, requested: str) -> None:
    """Repeat the form's open question after a message it could not use."""
    if requested == "location":
        dispatcher.utter_message(text=f"{NOT_UNDERSTOOD_TEXT} {ASK_LOCATION}")
    elif requested == "insurance":
        dispatcher.utter_message(text=f"{NOT_UNDERSTOOD_TEXT} {ASK_INSURANCE}",
                                 buttons=INSURANCE_BUTTONS)
    else:
        dispatcher.utter_message(text=NOT_UNDERSTOOD_TEXT)
        dispatcher.utter_message(response="utter_ask_needs")


class ActionHandleFallback(Action):
    """Re-ask kindly (the open question, if the form is asking one); after two misses in a
    row, offer a peer. Always waits for the person next: without that, an active form that
    keeps rejecting the same message would be retried in a loop."""

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        in_form = (tracker.active_loop or {}).get("name") == "search_form"
        requested = tracker.get_slot("requested_slot") if in_form else None
        if consecutive_fallbacks(tracker.events) >= FALLBACKS_BEFORE_PEER:
            dispatcher.utter_message(text=OFFER_PEER_TEXT, buttons=OFFER_PEER_BUTTONS)
        elif requested:
            reask_requested_slot(dispatcher, str(requested))
        else:
            dispatcher.utter_message(text=FALLBACK_TEXT)
        return [FollowupAction("action_listen")]
