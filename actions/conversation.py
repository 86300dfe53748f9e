"""Paging, and the messages the intent classifier could not place.

- `action_show_more`: the next page for the need shown last.
- `action_handle_fallback`: runs for `nlu_fallback` and `out_of_scope`. A message the
  classifier could not place may still say what the person needs: a need or a place starts
  or continues the search, "get me a real person" starts the handoff, "my son is using"
  starts the family path, a question about a shown service is answered. Otherwise it
  re-asks kindly (out of scope: says what the assistant can do); the second miss in a row
  offers a peer. It sets `route` (search, handoff, family, stay) and the rules in
  data/rules/fallback.yml follow it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import followups, formatting
from actions.base import NamedAction
from actions.forms import message_slots, normalize_needs
from actions.search import PAGE_SIZE, plan_from_slots, result_slots, search_and_present
from actions.understanding import (
    MAX_ASKS,
    has_search_facts,
    latest_text,
    questions_asked,
    read_message,
)

FALLBACKS_BEFORE_PEER = 2
#: What the fallback action decided; rules (data/rules/fallback.yml) follow it.
ROUTES: tuple[str, ...] = ("search", "handoff", "family", "stay")
#: The action each route leads to (its FollowupAction; the rules predict the same).
ROUTE_ACTIONS: dict[str, str] = {
    "search": "search_form", "handoff": "action_request_handoff",
    "family": "action_family_support",
}


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


class ActionShowMore(NamedAction):
    """Next page of results for the need shown last."""

    action_name = "action_show_more"

    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        need = tracker.get_slot("current_need")
        if not need:
            dispatcher.utter_message(response="utter_ask_needs")
            return []
        offset = int(tracker.get_slot("results_offset") or 0) + PAGE_SIZE
        total = int(tracker.get_slot("results_total") or 0)
        if offset >= total:
            dispatcher.utter_message(response="utter_no_more_results",
                                     need=formatting.need_label(str(need)),
                                     need_es=formatting.need_label(str(need), "es"))
            return []
        plan = plan_from_slots(tracker, need, offset=offset)
        body, cards = await search_and_present(dispatcher, plan)
        if body is None or not cards:
            return []
        return result_slots(need, plan, body, cards)


def reask_requested_slot(dispatcher: CollectingDispatcher, requested: str) -> None:
    """Repeat the form's open question after a message it could not use."""
    if requested == "location":
        dispatcher.utter_message(response="utter_reask_location")
    elif requested == "insurance":
        dispatcher.utter_message(response="utter_reask_insurance")
    else:
        dispatcher.utter_message(response="utter_not_understood")
        dispatcher.utter_message(response="utter_ask_needs")


def choose_route(dispatcher: CollectingDispatcher, tracker: Tracker, in_form: bool
                 ) -> tuple[str, dict[str, Any]]:
    """(route, slots to set) for a message the classifier could not place.

    Answers a question about shown services itself (route "stay")."""
    understood = read_message(tracker)
    if understood.wants_human:
        return "handoff", {}
    text = latest_text(tracker)
    shown = tracker.get_slot("shown_resources") or []
    if not in_form and followups.looks_like_followup(text, shown):
        followups.answer(dispatcher, tracker, text, None)
        return "stay", {}
    current = normalize_needs(tracker.get_slot("needs") or [])
    slots = message_slots(tracker, understood)
    if understood.for_someone_else and not slots.get("needs") and not current:
        return "family", {k: v for k, v in slots.items() if k != "needs"}
    if has_search_facts(understood) or (in_form and understood.insurance):
        return "search", slots
    requested = tracker.get_slot("requested_slot")
    if in_form and requested and questions_asked(tracker.events)[str(requested)] >= MAX_ASKS:
        return "search", {}  # asked twice: the form goes on with what it has
    return "stay", {}


class ActionHandleFallback(NamedAction):
    """A message the classifier could not place (nlu_fallback or out_of_scope): use what it
    says, else re-ask kindly (the open question, if the form is asking one); after two misses
    in a row, offer a peer. When it stays, it waits for the person: without that, an active
    form that keeps rejecting the same message would be retried in a loop."""

    action_name = "action_handle_fallback"

    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        in_form = (tracker.active_loop or {}).get("name") == "search_form"
        route, slots = choose_route(dispatcher, tracker, in_form)
        events: list[EventType] = [SlotSet(name, value) for name, value in slots.items()]
        events.append(SlotSet("route", route))
        if route != "stay":
            follow = ROUTE_ACTIONS[route]
            if in_form and route in ("handoff", "family"):
                follow = "action_deactivate_loop"  # the rules then start the handoff/family path
            return [*events, FollowupAction(follow)]
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        if dispatcher.messages:  # answered a question about the shown services
            return [*events, FollowupAction("action_listen")]
        if intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
            if in_form:  # the form asks its open question again
                return [*events, FollowupAction("search_form")]
            return [*events, FollowupAction("action_listen")]
        requested = tracker.get_slot("requested_slot") if in_form else None
        if consecutive_fallbacks(tracker.events) >= FALLBACKS_BEFORE_PEER:
            dispatcher.utter_message(response="utter_offer_peer_after_misses")
        elif requested:
            reask_requested_slot(dispatcher, str(requested))
        else:
            dispatcher.utter_message(response="utter_fallback")
        return [*events, FollowupAction("action_listen")]
