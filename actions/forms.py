"""`validate_search_form` and the form's custom questions.

The form asks only for what is missing: the need, the place (always), and insurance only
for needs where it changes the answer. Places are resolved offline with
`resources_db.geocode.resolve_place`; a shared location is turned into a coarse label
with `reverse_place`. What the slots keep is coarse (docs/privacy.md): a city or ZIP3 label
and coordinates rounded to 0.1 degree, so the tracker store never holds a precise point and
every page of results is searched from the same point.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import NamedAction
from actions.meetings import MUTUAL_AID, meeting_ask
from actions.understanding import (
    MAX_ASKS,
    TREATMENT,
    insurance_inside_place,
    questions_asked,
    read_message,
    search_slots,
    tagged,
)
from core.redaction import coarse_coordinate, coarse_label
from resources_db.geocode import PlaceLookup, resolve_place, reverse_place
from resources_db.understand import Understood
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS

#: Needs for which a person's insurance changes which places can help.
INSURANCE_MATTERS: frozenset[str] = frozenset(
    {"detox", "moud", "outpatient", "residential", "mental_health", TREATMENT}
)
#: Insurance slot values: the contract's query values, or "any" when the person skipped.
INSURANCE_ANSWERS: frozenset[str] = frozenset({*INSURANCE_QUERY_VALUES, "any"})
MAX_PLACE_CHOICES = 5

#: The questions, as responses in bot/domain/responses.yml (each with a Spanish variation).
#: The insurance question has no custom action: Rasa's form utters `utter_ask_insurance`
#: itself (the same message, one action server call less; docs/benchmarks.md "Turn cost").
ASK_LOCATION_RESPONSE = "utter_ask_location"
PLACE_CHOICE_RESPONSE = "utter_ask_place_choice"
UNKNOWN_PLACE_RESPONSE = "utter_place_not_found"
ASK_INSURANCE_RESPONSE = "utter_ask_insurance"

# Words around a place in a typed answer ("i'm in towson md", "my zip is 21201").
_PLACE_FILLER = re.compile(
    r"^(?:(?:actually|sorry|wait|ok|okay|no|um+|uh+)\b[\s,]*)?"
    r"(?:(?:i'?m staying|i'?m|i am|im|we'?re|we are|i live|my zip(?: code)? is|zip(?: code)?|"
    r"somewhere around|close to|look in|near|around|try)\b\s*)?"
    r"(?:(?:in|at|near|around)\b\s*)?",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"[\s.!?]+$|\s+(?:please|pls|right now|now|instead|area)$", re.IGNORECASE)


_ENTITY_PUNCTUATION = ".,;:!?\"'()"


def clean_place_text(text: str) -> str:
    """Strip filler words so "i'm in towson md please" becomes "towson md"."""
    cleaned = _PLACE_FILLER.sub("", text.strip(), count=1)
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = _TRAILING.sub("", cleaned).strip()
    return cleaned or text.strip()


def normalize_needs(value: Any) -> list[str]:
    """Known need keys in the order given, without repeats.

    The model sometimes takes the punctuation next to a need into the entity ("I need
    detox. I live at …" gives "detox."), so surrounding punctuation is dropped first.
    """
    values = value if isinstance(value, list) else [value]
    needs: list[str] = []
    for item in values:
        text = "" if item is None else str(item)
        key = text.strip().strip(_ENTITY_PUNCTUATION).strip().lower()
        if (key in NEEDS or key == TREATMENT) and key not in needs:
            needs.append(key)
    return needs


def needs_insurance(needs: list[str]) -> bool:
    return any(need in INSURANCE_MATTERS for need in needs)


def slots_set_since_last_message(tracker: Tracker) -> set[str]:
    """Names of the slots set after the person's latest message."""
    names: set[str] = set()
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "slot":
            names.add(str(event.get("name")))
    return names


def place_choice_payload(label: str) -> str:
    return "/inform" + json.dumps({"location": label})


class ValidateSearchForm(FormValidationAction):
    """Checks each answer and decides which questions are still needed."""

    def name(self) -> str:
        return "validate_search_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        needs = normalize_needs(tracker.get_slot("needs") or [])
        if not needs and tracker.get_slot("current_need"):
            needs = [str(tracker.get_slot("current_need"))]
        asked = questions_asked(tracker.events)
        required = [] if needs else ["needs"]
        if needs == [MUTUAL_AID] and meeting_ask(tracker).online:
            return required  # online meetings: joined from anywhere, no place needed
        if asked["location"] >= MAX_ASKS and not tracker.get_slot("location"):
            return required  # asked twice: go on without a place (peer and national lines)
        required.append("location")
        if not needs or needs_insurance(needs):
            required.append("insurance")
        return required

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Whatever question was asked, keep every need, place and insurance the message
        gives (read from the whole message; a place found there wins over split spans).
        They are kept even when their slot is no longer one of the form's questions."""
        understood = read_message(tracker)
        slots = message_slots(tracker, understood)
        if "location" not in slots and _whole_text_as_place(tracker, understood):
            slots["location"] = None  # "i have medicaid" answered where: not a place
        found = [SlotSet(name, value) for name, value in slots.items()]
        tracker.add_slots(found)
        events = await super().run(dispatcher, tracker, domain)
        validated = {event.get("name") for event in events if event.get("event") == "slot"}
        return [event for event in found if event["name"] not in validated] + events

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict[str, Any]) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        events += self._shared_location_events(tracker)
        tracker.add_slots(events)
        return events + self._give_up_events(tracker)

    def _give_up_events(self, tracker: Tracker) -> list[EventType]:
        """A question asked twice is not asked a third time: no need named means a broad
        treatment search, no insurance named means no insurance filter."""
        asked = questions_asked(tracker.events)
        events: list[EventType] = []
        if (asked["needs"] >= MAX_ASKS and not tracker.get_slot("needs")
                and not tracker.get_slot("current_need")):
            events.append(SlotSet("needs", [TREATMENT]))
        if asked["insurance"] >= MAX_ASKS and not tracker.get_slot("insurance"):
            events.append(SlotSet("insurance", "any"))
        return events

    def _shared_location_events(self, tracker: Tracker) -> list[EventType]:
        """A location shared by the widget (lat/lon) becomes a coarse label.

        lat/lon are not questions of the form, so Rasa does not pass them as candidates;
        they are found among the slots set since the person's last message.
        """
        changed = slots_set_since_last_message(tracker)
        if "lat" not in changed and "lon" not in changed:
            return []
        try:
            lat, lon = float(tracker.get_slot("lat")), float(tracker.get_slot("lon"))
        except (TypeError, ValueError):
            return [SlotSet("lat", None), SlotSet("lon", None)]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return [SlotSet("lat", None), SlotSet("lon", None)]
        lat, lon = coarse_coordinate(lat), coarse_coordinate(lon)
        label = coarse_label(reverse_place(lat, lon).label)
        return [
            SlotSet("location", label), SlotSet("lat", lat), SlotSet("lon", lon),
            SlotSet("place_source", "shared"),
            SlotSet("location_checked", label), SlotSet("location_attempt", None),
            SlotSet("location_candidates", None),
        ]

    def validate_needs(self, slot_value: Any, dispatcher: CollectingDispatcher,
                       tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        needs = normalize_needs(slot_value)
        return {"needs": needs or None}

    def validate_location(self, slot_value: Any, dispatcher: CollectingDispatcher,
                          tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        text = str(slot_value or "").strip()
        if text and text == tracker.get_slot("location_checked"):
            return {"location": text}  # already resolved (e.g. re-validated on activation)
        lookup = _best_place(text, tracker)
        if lookup is not None and lookup.status == "found" and lookup.place is not None:
            # A typed place is public: the search resolves its label to the exact centroid
            # (the same point the peer console's lookup uses); no point is kept for it.
            label = coarse_label(lookup.place.label)
            return {
                "location": label, "lat": None, "lon": None, "place_source": "typed",
                "location_checked": label, "location_attempt": None,
                "location_candidates": None,
            }
        candidates = []
        if lookup is not None and lookup.status == "ambiguous":
            candidates = [c.label for c in lookup.candidates[:MAX_PLACE_CHOICES]]
        return {
            "location": None, "location_checked": None,
            "location_attempt": text or None, "location_candidates": candidates or None,
        }

    def validate_insurance(self, slot_value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        value = str(slot_value or "").strip().lower()
        if value in INSURANCE_ANSWERS:
            return {"insurance": value}
        # Say so only to an answer to the insurance question: a word of an opening message
        # that the model misread as insurance ("… cumberland maryland") is dropped quietly,
        # and the question comes when the form gets to it.
        if tracker.get_slot("requested_slot") == "insurance":
            dispatcher.utter_message(response="utter_insurance_unclear")
        return {"insurance": None}


def message_slots(tracker: Tracker, understood: Understood) -> dict[str, Any]:
    """The search slots the latest message sets, from understand() and the model's spans."""
    slots = search_slots(
        understood, normalize_needs(tracker.get_slot("needs") or []),
        tracker.get_slot("location_checked"),
        normalize_needs([value for value, _ in tagged(tracker, "need")]))
    if insurance_inside_place(tracker, understood):
        slots["insurance"] = None
    return slots


def _whole_text_as_place(tracker: Tracker, understood: Understood) -> bool:
    """The place question's answer gave other facts and no place ("i have medicaid"): the
    whole text was taken as the place by the from_text mapping and must not be resolved."""
    other_facts = understood.needs or understood.insurance or understood.broad_treatment
    typed = str((tracker.latest_message or {}).get("text") or "").strip()
    return bool(other_facts) and understood.place is None and not understood.place_candidates \
        and bool(typed) and str(tracker.get_slot("location") or "").strip() == typed


def _best_place(text: str, tracker: Tracker) -> PlaceLookup | None:
    """The place the person meant. The model sometimes also tags the groups of digits of a
    phone number the person gives as places, and the slot keeps the last tag, so every place
    tagged in the message is tried in the order written: the first that is found wins, else
    the first that is ambiguous, else the slot's own value."""
    tagged = [str(v).strip() for v in tracker.get_latest_entity_values("location") if v]
    tries = list(dict.fromkeys([*tagged, text] if text in tagged or not text else [text]))
    lookups = [resolve_place(clean_place_text(t)) for t in tries if t]
    for status in ("found", "ambiguous"):
        for lookup in lookups:
            if lookup.status == status:
                return lookup
    return lookups[-1] if lookups else None


class ActionAskLocation(NamedAction):
    """Asks where to look; after an unclear answer, explains or offers the matching places."""

    action_name = "action_ask_location"

    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        attempt = tracker.get_slot("location_attempt")
        candidates = tracker.get_slot("location_candidates") or []
        if attempt and candidates:
            buttons = [{"title": label, "payload": place_choice_payload(label)}
                       for label in candidates]
            dispatcher.utter_message(
                response=PLACE_CHOICE_RESPONSE, place=attempt, buttons=buttons
            )
        elif attempt:
            dispatcher.utter_message(response=UNKNOWN_PLACE_RESPONSE)
        else:
            dispatcher.utter_message(response=ASK_LOCATION_RESPONSE)
        return []
