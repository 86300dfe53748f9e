"""`action_family_support`: the path for family and friends ("my son is using, what do I do").

A person asking for someone else needs something other than a search menu: a few words on
how to help (no medical advice), naloxone and where to get it (the directory's harm
reduction services near them when a place is known), the SAMHSA National Helpline (read from
national_resources.json, never typed here), and a peer. Wording: bot/domain/responses.yml.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import NamedAction
from actions.formatting import lines_words
from actions.presenting import Said
from actions.search import plan_from_slots, result_slots, search_and_present
from actions.understanding import place_slots, read_message
from resources_db.national import line_by_key

NALOXONE = "harm_reduction"
#: National lines for families: the SAMHSA National Helpline first.
FAMILY_LINE_KEYS: tuple[str, ...] = ("samhsa_helpline", "never_use_alone")


def family_lines(given: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """The family lines, leaving out those already `given` (by name) in this answer."""
    lines = [line for key in FAMILY_LINE_KEYS
             if (line := line_by_key(key)) is not None and line.get("name") not in given]
    return lines_words(lines)


def _known_place(tracker: Tracker) -> dict[str, Any]:
    """Slots of a place named now, or {} when the place already known is kept."""
    return place_slots(read_message(tracker), tracker.get_slot("location_checked"))


class ActionFamilySupport(NamedAction):
    """How to help, naloxone (nearby when a place is known), the helpline, a peer."""

    action_name = "action_family_support"

    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        found = _known_place(tracker)
        tracker.slots.update(found)
        events: list[EventType] = [SlotSet(name, value) for name, value in found.items()]
        said = Said(defer_peer=True)  # the peer is offered once, at the end
        dispatcher.utter_message(response="utter_family_how_to_help")
        place = tracker.get_slot("location")
        resolved = place and place == tracker.get_slot("location_checked")
        shared = tracker.get_slot("lat") is not None and tracker.get_slot("lon") is not None
        if resolved or shared:
            dispatcher.utter_message(response="utter_family_naloxone_near")
            plan = plan_from_slots(tracker, NALOXONE)
            body, cards = await search_and_present(dispatcher, plan, said)
            if body is not None:
                events += result_slots(NALOXONE, plan, body, cards)
        else:
            dispatcher.utter_message(response="utter_family_naloxone")
        dispatcher.utter_message(response="utter_family_lines", **family_lines(said.lines))
        dispatcher.utter_message(response="utter_offer_peer")
        return [*events, SlotSet("needs", None)]
