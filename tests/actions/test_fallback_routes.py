"""A message the classifier could not place (nlu_fallback, out_of_scope) still counts when it
says what the person needs, asks for a human, or is about someone else."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.conversation import ActionHandleFallback
from resources_db.understand import Understood
from tests.actions.fake_understand import place, readings
from tests.actions.helpers import (
    make_tracker,
    rendered,
    response_names,
    run_action,
    slot_events,
)


def followup(events: list[dict[str, Any]]) -> Any:
    return next(e["name"] for e in events if e.get("event") == "followup")


def outside_form(tracker: Tracker) -> Tracker:
    tracker.active_loop = {}
    return tracker


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback"])
async def test_a_need_and_place_the_classifier_missed_start_the_search(
        monkeypatch: pytest.MonkeyPatch, intent: str) -> None:
    text = "methodone clinc near salt lake city"
    readings(monkeypatch, {text: Understood(needs=("moud",), place=place("Salt Lake City, UT"),
                                            place_text="salt lake city")})
    tracker = outside_form(make_tracker({}, text, intent))
    messages, events = await run_action(ActionHandleFallback(), tracker)
    slots = slot_events(events)
    assert slots["needs"] == ["moud"] and slots["location"] == "Salt Lake City, UT"
    assert slots["route"] == "search" and followup(events) == "search_form"
    assert messages == []  # no "Sorry, I can't help with that" before the search


async def test_a_place_given_in_the_form_as_an_unclear_message_continues_the_form(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"ummm frostburg i guess": Understood(
        place=place("Frostburg, MD"), place_text="frostburg")})
    tracker = make_tracker({"needs": ["detox"], "requested_slot": "location"},
                           "ummm frostburg i guess", "nlu_fallback")
    messages, events = await run_action(ActionHandleFallback(), tracker)
    assert slot_events(events)["location"] == "Frostburg, MD"
    assert followup(events) == "search_form" and messages == []


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback"])
async def test_an_explicit_request_for_a_human_starts_the_handoff(
        monkeypatch: pytest.MonkeyPatch, intent: str) -> None:
    readings(monkeypatch, {"stop. HUMAN. now": Understood(wants_human=True)})
    tracker = outside_form(make_tracker({}, "stop. HUMAN. now", intent))
    messages, events = await run_action(ActionHandleFallback(), tracker)
    assert slot_events(events)["route"] == "handoff"
    assert followup(events) == "action_request_handoff"
    assert messages == []  # not a button offer: the handoff itself


async def test_a_request_for_a_human_in_the_form_ends_the_form_first(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"real person pls": Understood(wants_human=True)})
    tracker = make_tracker({"requested_slot": "location"}, "real person pls", "nlu_fallback")
    _, events = await run_action(ActionHandleFallback(), tracker)
    assert followup(events) == "action_deactivate_loop"
    assert slot_events(events)["route"] == "handoff"


async def test_someone_asking_for_a_family_member_gets_the_family_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {"my son is using what do i do": Understood(for_someone_else=True)})
    tracker = outside_form(make_tracker({}, "my son is using what do i do", "out_of_scope"))
    _, events = await run_action(ActionHandleFallback(), tracker)
    assert slot_events(events)["route"] == "family"
    assert followup(events) == "action_family_support"


async def test_a_question_about_a_shown_service_is_answered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {})
    shown = [{"name": "Example Reflective Recovery", "phone": "410-555-0101", "hours": None},
             {"name": "Example Turning Point Clinic", "phone": "410-555-0102", "hours": None}]
    tracker = outside_form(make_tracker({"shown_resources": shown},
                                        "what time does turning point open", "out_of_scope"))
    messages, events = await run_action(ActionHandleFallback(), tracker)
    assert "Example Turning Point Clinic hasn't listed hours; call 410-555-0102 to ask" in (
        rendered(messages))
    assert slot_events(events)["route"] == "stay"


async def test_a_question_asked_twice_is_not_asked_again_by_the_fallback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {})
    history: list[dict[str, Any]] = [{"event": "active_loop", "name": "search_form"},
               {"event": "slot", "name": "requested_slot", "value": "needs"},
               {"event": "user", "text": "hm", "parse_data": {"intent": {"name": "inform"}}}]
    tracker = make_tracker({"requested_slot": "needs"}, "blergh", "nlu_fallback",
                           events=history)
    messages, events = await run_action(ActionHandleFallback(), tracker)
    assert followup(events) == "search_form"  # the form goes on with a broad search
    assert "utter_ask_needs" not in response_names(messages)


@pytest.mark.parametrize("text", ["", "🙏🙏🙏", "a" * 2000,
                                  "necesito ayuda por favor i need help mi hijo"])
async def test_bad_input_gets_a_kind_answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    readings(monkeypatch, {})
    tracker = outside_form(make_tracker({}, text, "nlu_fallback"))
    messages, events = await run_action(ActionHandleFallback(), tracker)
    assert response_names(messages) == ["utter_fallback"]
    assert followup(events) == "action_listen"


async def test_the_real_reader_never_breaks_the_fallback() -> None:
    """With the real understand() (whatever its state), any text gets an answer."""
    for text in ["", "🙏", "x" * 2000, "ayuda detox baltimore"]:
        tracker = outside_form(make_tracker({}, text, "nlu_fallback"))
        messages, events = await run_action(ActionHandleFallback(), tracker)
        assert followup(events) in {"action_listen", "search_form", "action_request_handoff",
                                    "action_family_support"}
        assert messages or followup(events) != "action_listen"
