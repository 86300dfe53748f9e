"""What the person's latest message says, as slot values, whichever question was asked.

The NLU model's entity spans can miss a misspelled need ("detocks") or split a place
("Cumberland", "Maryland"). `resources_db.understand` reads the whole message against the
product's vocabulary and gazetteer; this module turns what it found into the search slots,
so every fact a person gives is kept. A place it found wins over the model's fragments.

Places typed by the person (a city, a county, a ZIP) are public places, not the person's
position: the slots keep the city label ("Cumberland, MD", never a ZIP, docs/privacy.md) and
the search resolves that label to its exact centroid, the same point the peer console's
lookup uses. Only a shared GPS point is coarsened (actions/forms.py).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Tracker

from core.redaction import coarse_label
from resources_db.understand import Understood, understand
from resources_db.understand.vocabulary import TREATMENT_NEEDS

logger = logging.getLogger(__name__)

#: The internal need key of a broad treatment search ("I need treatment", "rehab", or a
#: need question asked twice without an answer). It is searched as one query for any of
#: TREATMENT_NEEDS (SearchQuery treats several needs as "any of").
TREATMENT = "treatment"

#: A question is asked at most this many times; then the assistant goes on with what it has.
MAX_ASKS = 2
#: Actions after which a new search starts counting questions again.
_SEARCH_ACTIONS = {"action_search_resources"}


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def read_message(tracker: Tracker) -> Understood:
    """`understand()` of the latest message; never raises (an empty reading on error)."""
    text = latest_text(tracker)
    if not text or text.startswith("/"):  # a button payload says what it means already
        return Understood()
    try:
        return understand(text)
    except Exception:  # the dialogue must go on even if the reader has a bug
        logger.exception("understand() failed")
        return Understood()


def understood_needs(understood: Understood) -> list[str]:
    """The needs the message names; a generic "treatment" is the broad search."""
    needs = list(dict.fromkeys(understood.needs))
    if not needs and understood.broad_treatment:
        needs = [TREATMENT]
    return needs


def _state_of(label: str | None) -> str | None:
    """The state code at the end of a label ("Cumberland, MD" -> "MD")."""
    if not label or "," not in label:
        return None
    state = label.rsplit(",", 1)[1].strip()[:2]
    return state if len(state) == 2 and state.isalpha() and state.isupper() else None


def place_slots(understood: Understood, current_place: str | None = None) -> dict[str, Any]:
    """Slots for a place the message names: a label searched from its exact centroid.

    An ambiguous name with one candidate in the state already searched ("actually I'm in
    Frostburg" after Cumberland, MD) is taken as that one."""
    place = understood.place
    state = _state_of(current_place)
    if place is None and state:
        same_state = [p for p in understood.place_candidates if p.state == state]
        place = same_state[0] if len(same_state) == 1 else None
    if place is not None:
        label = coarse_label(place.label)
        return {
            "location": label, "location_checked": label, "place_source": "typed",
            "lat": None, "lon": None, "location_attempt": None, "location_candidates": None,
        }
    if understood.place_candidates:
        return {
            "location": None, "location_checked": None,
            "location_attempt": understood.place_text or None,
            "location_candidates": [coarse_label(p.label) for p in understood.place_candidates],
        }
    return {}


def has_search_facts(understood: Understood) -> bool:
    """Does the message give something the search can use (a need or a place)?"""
    return bool(understood_needs(understood) or understood.place is not None
                or understood.place_candidates)


def merged_needs(understood: Understood, slot_needs: Sequence[str],
                 tagged_now: Sequence[str] = ()) -> list[str]:
    """The needs to serve: those asked for before this message, then what this message
    names. What understand() reads from the whole message wins over this message's spans
    ("a ride to my suboxone doctor" is a ride, not medication); a generic "rehab" is the
    broad treatment search, not the one kind of treatment a span was mapped to."""
    earlier = [n for n in slot_needs if n not in tagged_now]
    if understood.needs:
        now = list(understood.needs)
    elif understood.broad_treatment:
        earlier = [n for n in earlier if n not in TREATMENT_NEEDS]
        now = [TREATMENT]
    else:
        now = list(tagged_now)
    return list(dict.fromkeys([*earlier, *now]))


def search_slots(understood: Understood, slot_needs: Sequence[str] = (),
                 current_place: str | None = None, tagged_now: Sequence[str] = ()
                 ) -> dict[str, Any]:
    """Every search fact in the message, merged with the needs already asked for."""
    slots: dict[str, Any] = {}
    needs = merged_needs(understood, slot_needs, tagged_now)
    if needs != list(slot_needs) and (needs or slot_needs):
        slots["needs"] = needs or None
    slots.update(place_slots(understood, current_place))
    if understood.insurance:
        slots["insurance"] = understood.insurance
    return slots


def tagged(tracker: Tracker, entity: str) -> list[tuple[str, str]]:
    """(value, words as typed) of each span the model tagged as `entity` in the message."""
    text = latest_text(tracker)
    found = []
    for item in (tracker.latest_message or {}).get("entities") or []:
        if item.get("entity") != entity:
            continue
        start, end = item.get("start"), item.get("end")
        words = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
        found.append((str(item.get("value") or ""), words or str(item.get("value") or "")))
    return found


def insurance_inside_place(tracker: Tracker, understood: Understood) -> bool:
    """The model tagged part of the place as insurance ("Newport News, VA" -> VA -> military;
    "Cumberland, Maryland" -> insurance "maryland"): that is no insurance answer."""
    place_words = (understood.place_text or "").lower()
    if not place_words or understood.insurance:
        return False
    return any(words.lower() in place_words for _, words in tagged(tracker, "insurance"))


def questions_asked(events: Sequence[Mapping[str, Any]]) -> Counter[str]:
    """How often each form question was asked since the last search, counted by the
    messages the person sent while the form waited for that slot (a re-ask by the fallback
    action and the form's own re-ask both lead to one more such message)."""
    asked: Counter[str] = Counter()
    requested: str | None = None
    in_form = False
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "active_loop":
            in_form = event.get("name") == "search_form"
            if not in_form:
                requested = None
        elif kind == "action" and event.get("name") in _SEARCH_ACTIONS:
            asked.clear()
        elif kind == "user" and in_form and requested:
            asked[str(requested)] += 1
    return asked
