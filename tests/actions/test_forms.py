"""The search form asks only for what is missing and resolves places offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import (
    ActionAskLocation,
    ValidateSearchForm,
    clean_place_text,
    normalize_needs,
)
from tests.actions.helpers import (
    DOMAIN,
    make_tracker,
    rendered,
    response_names,
    response_text,
    responses,
    run_action,
    slot_events,
)

FORM_SLOTS = ["needs", "location", "insurance"]


async def required(slots: dict[str, object]) -> list[str]:
    tracker = make_tracker(slots)
    return await ValidateSearchForm().required_slots(
        FORM_SLOTS, CollectingDispatcher(), tracker, DOMAIN)


@pytest.mark.parametrize("need", ["detox", "moud", "outpatient", "residential", "mental_health"])
async def test_insurance_is_asked_when_it_changes_the_answer(need: str) -> None:
    assert await required({"needs": [need]}) == ["location", "insurance"]


@pytest.mark.parametrize("need", ["harm_reduction", "mutual_aid", "crisis",
                                  "recovery_community", "peer_support", "housing"])
async def test_insurance_is_not_asked_when_it_does_not_matter(need: str) -> None:
    assert await required({"needs": [need]}) == ["location"]


async def test_the_need_is_asked_first_when_unknown() -> None:
    assert (await required({}))[0] == "needs"


async def test_a_correction_after_results_reuses_the_need_shown() -> None:
    assert await required({"needs": None, "current_need": "harm_reduction"}) == ["location"]


async def test_insurance_is_asked_if_any_of_several_needs_needs_it() -> None:
    assert "insurance" in await required({"needs": ["harm_reduction", "detox"]})


async def validate(slots: dict[str, object], new: dict[str, object], text: str = ""
                   ) -> tuple[list[dict[str, object]], dict[str, object]]:
    tracker = make_tracker(slots, text=text, new_slots=new)
    dispatcher = CollectingDispatcher()
    events = await ValidateSearchForm().run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages, slot_events(events)


async def test_a_typed_zip_code_is_kept_as_its_city_label_without_a_point() -> None:
    _, slots = await validate({"needs": ["harm_reduction"]}, {"location": "21201"})
    # Kept to the city: the tracker store keeps no ZIP; a typed place is public and is
    # searched by its label (the directory resolves it to the exact centroid), so no
    # rounded point is kept for it.
    assert slots["location"] == "Baltimore, MD"
    assert (slots["lat"], slots["lon"]) == (None, None)
    assert slots["place_source"] == "typed"
    assert slots["requested_slot"] is None  # nothing else to ask for harm reduction


async def test_a_typed_sentence_around_a_place_is_understood() -> None:
    _, slots = await validate({"needs": ["mutual_aid"]}, {"location": "i'm in towson md please"})
    assert slots["location"] == "Towson, MD"


async def test_an_ambiguous_place_keeps_the_question_open_with_choices() -> None:
    _, slots = await validate({"needs": ["detox"]}, {"location": "columbia"})
    assert slots["location"] is None
    candidates = slots["location_candidates"]
    assert isinstance(candidates, list) and "Columbia, MO" in candidates
    assert slots["requested_slot"] == "location"


async def test_an_unknown_place_is_asked_again() -> None:
    _, slots = await validate({"needs": ["detox"]}, {"location": "qwzxv"})
    assert slots["location"] is None
    assert slots["location_attempt"] == "qwzxv"
    assert not slots.get("location_candidates")


async def test_a_shared_location_gets_a_coarse_label_and_point() -> None:
    _, slots = await validate({"needs": ["housing"]}, {"lat": 39.2904, "lon": -76.6122})
    assert slots["location"] == "Baltimore, MD"
    assert (slots["lat"], slots["lon"]) == (39.3, -76.6)
    assert slots["place_source"] == "shared"


async def test_an_impossible_shared_location_is_dropped() -> None:
    _, slots = await validate({"needs": ["housing"]}, {"lat": 391.0, "lon": -76.62})
    assert slots["lat"] is None and slots.get("location") is None


@pytest.mark.parametrize("answer", ["medicaid", "none", "any", "military"])
async def test_insurance_answers_are_accepted(answer: str) -> None:
    _, slots = await validate({"needs": ["detox"], "location": "Towson, MD"},
                              {"insurance": answer})
    assert slots["insurance"] == answer


async def test_an_unknown_insurance_is_asked_again_kindly() -> None:
    messages, slots = await validate(
        {"needs": ["detox"], "location": "Towson, MD", "requested_slot": "insurance"},
        {"insurance": "humana gold"})
    assert slots["insurance"] is None
    assert response_names(messages) == ["utter_insurance_unclear"]


async def test_a_word_misread_as_insurance_in_an_opening_message_is_dropped_quietly() -> None:
    """Seen in the browser: "i need detocks in cumberland maryland" -> the model tagged
    "maryland" as insurance, and the first answer was "Sorry, I didn't catch which insurance
    that is." before any question about insurance."""
    messages, slots = await validate({}, {"needs": ["detox"], "insurance": "maryland"},
                                     text="i need detocks in cumberland maryland")
    assert slots["insurance"] is None
    assert "utter_insurance_unclear" not in response_names(messages)


def test_needs_are_deduplicated_and_unknown_keys_dropped() -> None:
    assert normalize_needs(["detox", "housing", "detox", "pizza"]) == ["detox", "housing"]
    assert normalize_needs("moud") == ["moud"]
    # Seen with the shipped model: "I need detox. I live at …" tagged "detox." as the need.
    assert normalize_needs(["detox.", "live", "(housing)"]) == ["detox", "housing"]


@pytest.mark.parametrize(("typed", "place"), [
    ("indianapolis", "indianapolis"), ("norfolk va", "norfolk va"),
    ("my zip is 21201", "21201"), ("actually im in towson", "towson"),
    ("around dundalk area", "dundalk"),
])
def test_filler_words_are_removed_but_place_names_kept(typed: str, place: str) -> None:
    assert clean_place_text(typed) == place


async def test_ambiguous_place_question_offers_buttons_that_resolve() -> None:
    tracker = make_tracker({"location_attempt": "columbia",
                            "location_candidates": ["Columbia, SC", "Columbia, MO"]})
    messages, _ = await run_action(ActionAskLocation(), tracker)
    buttons = messages[0]["buttons"]
    payload = buttons[1]["payload"]
    assert payload.startswith("/inform")
    assert json.loads(payload[len("/inform"):]) == {"location": "Columbia, MO"}


async def test_unknown_place_question_gives_an_example() -> None:
    messages, _ = await run_action(ActionAskLocation(),
                                   make_tracker({"location_attempt": "qwzxv"}))
    assert "like 21201 or Towson, MD" in rendered(messages)


INSURANCE_PAYLOADS = [
    '/inform{"insurance": "medicaid"}', '/inform{"insurance": "medicare"}',
    '/inform{"insurance": "private"}', '/inform{"insurance": "military"}',
    '/inform{"insurance": "none"}', "/skip",
]


def test_the_form_asks_about_insurance_with_its_response_and_buttons() -> None:
    """Rasa's form utters `utter_ask_insurance` itself (no action server call) unless the
    domain names an `action_ask_…insurance` action, which it would call instead."""
    import yaml

    domain = Path(__file__).resolve().parents[2] / "bot" / "domain" / "actions.yml"
    actions = yaml.safe_load(domain.read_text(encoding="utf-8"))["actions"]
    assert not [name for name in actions if name.startswith("action_ask") and
                name.endswith("insurance")]
    variations = responses()["utter_ask_insurance"]
    assert len(variations) == 2  # English and Spanish (chat_language es)
    for variation in variations:  # every answer can be given, or the question skipped
        # as Rasa fills them: doubled braces are the payload's own (test_response_payloads)
        assert [b["payload"].format() for b in variation["buttons"]] == INSURANCE_PAYLOADS
    assert response_text("utter_ask_insurance") == (
        "Do you have health insurance? It helps me find places that will take it.")
    assert response_text("utter_ask_insurance", "es").startswith("¿Tienes seguro médico?")


async def test_a_phone_number_tagged_as_places_does_not_hide_the_real_place() -> None:
    """Seen in the running product: the model tagged "410", "555" and "0123" of a phone
    number as places too, the slot kept the last one, and the person was told their place
    could not be found."""
    text = "i need detox near 21218, call me at 410-555-0123"
    tagged = [{"entity": "location", "value": v} for v in ("21218", "410", "555", "0123")]
    tracker = make_tracker({"needs": ["detox"]}, text=text, new_slots={"location": "0123"},
                           entities=tagged)
    events = await ValidateSearchForm().run(CollectingDispatcher(), tracker, DOMAIN)
    slots = slot_events(events)
    assert slots["location"] == "Baltimore, MD"
    assert slots["requested_slot"] == "insurance"


async def test_a_typed_answer_that_is_not_a_tagged_place_is_used_as_typed() -> None:
    tracker = make_tracker({"needs": ["mutual_aid"]}, text="i'm in towson md please",
                           new_slots={"location": "i'm in towson md please"},
                           entities=[{"entity": "location", "value": "qwzxv"}])
    slots = slot_events(await ValidateSearchForm().run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["location"] == "Towson, MD"
