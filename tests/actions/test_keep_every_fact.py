"""Every fact a person gives is kept, whichever question was asked, and no question is asked
a third time (issue 14: the loop of "What kind of help are you looking for?")."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import search as search_module
from actions.forms import ValidateSearchForm
from actions.search import ActionSearchResources
from actions.understanding import TREATMENT, TREATMENT_NEEDS
from resources_db.understand import Understood
from tests.actions.fake_understand import place, readings
from tests.actions.helpers import (
    DOMAIN,
    make_tracker,
    rendered,
    response_names,
    run_action,
    slot_events,
    user_event,
)
from tests.actions.test_search_action import FakeDirectory


@pytest.fixture(autouse=True)
def nothing_understood(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test says what understand() reads; by default nothing."""
    readings(monkeypatch, {})


async def run_form(slots: dict[str, Any], text: str, new: dict[str, Any] | None = None,
                   events: list[dict[str, Any]] | None = None,
                   entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    tracker = make_tracker(slots, text=text, new_slots=new, events=events, entities=entities)
    return slot_events(await ValidateSearchForm().run(CollectingDispatcher(), tracker, DOMAIN))


def asked(slot: str, times: int) -> list[dict[str, Any]]:
    """History in which the form asked for `slot` and got `times - 1` unusable answers."""
    history: list[dict[str, Any]] = [{"event": "active_loop", "name": "search_form"}]
    for n in range(times - 1):
        history += [{"event": "slot", "name": "requested_slot", "value": slot},
                    user_event(f"unclear answer {n}", "inform")]
    history.append({"event": "slot", "name": "requested_slot", "value": slot})
    return history


async def test_a_place_given_when_the_need_was_asked_is_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"cumberland maryland": Understood(
        place=place("Cumberland, MD"), place_text="cumberland maryland")})
    slots = await run_form({"requested_slot": "needs"}, "cumberland maryland",
                           events=asked("needs", 1))
    assert slots["location"] == "Cumberland, MD"
    assert slots.get("needs") is None  # so the form asks what they need, once more


async def test_a_place_found_in_the_whole_message_wins_over_split_spans(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "detox in Newport News, VA"
    readings(monkeypatch, {text: Understood(needs=("detox",), place=place("Newport News, VA"),
                                            place_text="Newport News, VA")})
    fragments = [{"entity": "location", "value": "News"}, {"entity": "location", "value": "VA"}]
    slots = await run_form({}, text, new={"needs": ["detox"], "location": "VA"},
                           entities=fragments)
    assert slots["location"] == "Newport News, VA"
    assert slots["requested_slot"] == "insurance"


async def test_a_misspelled_need_the_model_dropped_is_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"need detocks": Understood(needs=("detox",))})
    slots = await run_form({}, "need detocks", new={"needs": ["detocks"]})
    assert slots["needs"] == ["detox"]
    assert slots["requested_slot"] == "location"


async def test_insurance_given_when_the_place_was_asked_is_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"i have medicaid": Understood(insurance="medicaid")})
    slots = await run_form({"needs": ["moud"], "requested_slot": "location"},
                           "i have medicaid", events=asked("location", 1))
    assert slots["insurance"] == "medicaid"
    assert slots["requested_slot"] == "location"


async def test_a_generic_treatment_request_is_the_broad_search(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"i need rehab": Understood(broad_treatment=True)})
    slots = await run_form({}, "i need rehab")
    assert slots["needs"] == [TREATMENT]
    assert slots["requested_slot"] == "location"


async def test_the_need_question_is_not_asked_a_third_time() -> None:
    slots = await run_form({"location": "Towson, MD", "location_checked": "Towson, MD"},
                           "i don't know", events=asked("needs", 2))
    assert slots["needs"] == [TREATMENT]  # a broad treatment search
    assert slots["requested_slot"] == "insurance"


async def test_the_insurance_question_is_not_asked_a_third_time() -> None:
    slots = await run_form({"needs": ["detox"], "location": "Towson, MD",
                            "location_checked": "Towson, MD"},
                           "hmm", events=asked("insurance", 2))
    assert slots["insurance"] == "any"
    assert slots["requested_slot"] is None


async def test_the_place_question_is_not_asked_a_third_time() -> None:
    slots = await run_form({"needs": ["housing"]}, "somewhere", new={"location": "somewhere"},
                           events=asked("location", 2))
    assert slots["requested_slot"] is None


async def test_without_a_place_the_search_offers_national_lines_and_a_peer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    directory = FakeDirectory()
    monkeypatch.setattr(search_module, "run_search", directory)
    messages, _ = await run_action(ActionSearchResources(),
                                   make_tracker({"needs": ["detox"]}, "idk"))
    assert directory.plans == []
    assert response_names(messages) == ["utter_no_place_lines", "utter_offer_peer"]
    assert "1-800-662-4357" in rendered(messages)  # SAMHSA National Helpline, from the seed


async def test_the_broad_search_is_one_query_for_any_treatment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    directory = FakeDirectory()
    monkeypatch.setattr(search_module, "run_search", directory)
    await run_action(ActionSearchResources(), make_tracker(
        {"needs": [TREATMENT], "location": "Towson, MD", "place_source": "typed"}))
    [plan] = directory.plans
    assert plan.to_query().needs == list(TREATMENT_NEEDS)


async def test_a_typed_place_is_searched_from_its_exact_centroid(
        monkeypatch: pytest.MonkeyPatch) -> None:
    directory = FakeDirectory()
    monkeypatch.setattr(search_module, "run_search", directory)
    await run_action(ActionSearchResources(), make_tracker(
        {"needs": ["detox"], "location": "Cumberland, MD", "place_source": "typed"}))
    query = directory.plans[0].to_query()
    # by label: the directory resolves it to the city's own centroid, never a rounded point
    assert (query.near, query.lat, query.lon) == ("Cumberland, MD", None, None)


async def test_a_correction_to_a_name_shared_by_two_states_stays_in_the_state_searched(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "actually im in frostburg"
    readings(monkeypatch, {text: Understood(
        place_text="frostburg", place_candidates=(place("Frostburg, PA"), place("Frostburg, MD")))})
    slots = await run_form({"needs": ["detox"], "insurance": "any", "location": "Cumberland, MD",
                            "location_checked": "Cumberland, MD"}, text,
                           new={"location": "frostburg"})
    assert slots["location"] == "Frostburg, MD"


async def test_insurance_given_to_the_place_question_is_not_taken_for_a_place(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"i have medicaid": Understood(insurance="medicaid")})
    slots = await run_form({"needs": ["detox"], "requested_slot": "location"}, "i have medicaid",
                           new={"location": "i have medicaid"}, events=asked("location", 1))
    assert slots["insurance"] == "medicaid"
    assert slots["location"] is None
    assert not slots.get("location_attempt")  # not "I couldn't find that place"


async def test_a_ride_to_a_medication_doctor_is_a_ride(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "i need a ride to my suboxone doctor"
    readings(monkeypatch, {text: Understood(needs=("transportation",))})
    spans = [{"entity": "need", "value": "transportation", "start": 9, "end": 13},
             {"entity": "need", "value": "moud", "start": 20, "end": 35}]
    slots = await run_form({}, text, new={"needs": ["transportation", "moud"]}, entities=spans)
    assert slots["needs"] == ["transportation"]


async def test_rehab_is_the_broad_search_not_one_kind_of_treatment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"i need rehab": Understood(broad_treatment=True)})
    spans = [{"entity": "need", "value": "residential", "start": 7, "end": 12}]
    slots = await run_form({}, "i need rehab", new={"needs": ["residential"]}, entities=spans)
    assert slots["needs"] == [TREATMENT]


async def test_a_state_tagged_as_insurance_is_no_insurance_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "need suboxen newport news va"
    readings(monkeypatch, {text: Understood(needs=("moud",), place=place("Newport News, VA"),
                                            place_text="newport news va")})
    spans = [{"entity": "insurance", "value": "military", "start": 26, "end": 28}]
    slots = await run_form({}, text, new={"insurance": "military"}, entities=spans)
    assert slots["location"] == "Newport News, VA"
    assert slots["insurance"] is None
    assert slots["requested_slot"] == "insurance"  # asked, not assumed to be TRICARE/VA
