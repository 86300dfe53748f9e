"""action_crisis_response: the crisis payload comes first, with only real lines, and ends forms."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ActionCrisisResponse
from resources_db.national import NATIONAL_RESOURCES_PATH
from tests.actions.helpers import response_text

SEED = json.loads(NATIONAL_RESOURCES_PATH.read_text(encoding="utf-8"))["resources"]
SEED_PHONES = {entry["phone"] for entry in SEED if "phone" in entry}
SEED_TEXTS = {entry["text"] for entry in SEED if "text" in entry}


def _tracker(text: str, kind: str | None = None, form: str | None = None) -> Tracker:
    entities = []
    if kind is not None:
        entities = [{"entity": "crisis_kind", "value": kind, "start": 0, "end": len(text),
                     "extractor": "CrisisDetector"}]
    message = {"text": text, "intent": {"name": "crisis", "confidence": 1.0},
               "entities": entities}
    return Tracker(
        sender_id="example-conversation", slots={"needs": ["detox"], "requested_slot": None},
        latest_message=message,
        events=[{"event": "user", "text": text, "parse_data": message}],
        paused=False, followup_action=None,
        active_loop={"name": form} if form else {}, latest_action_name="action_listen",
    )


async def _run(tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await ActionCrisisResponse().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_action_name() -> None:
    assert ActionCrisisResponse().name() == "action_crisis_response"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("he's not breathing", "overdose"), ("i want to die", "suicide"),
     ("he has a gun", "danger")],
)
async def test_crisis_payload_comes_first_in_the_contract_shape(text: str, kind: str) -> None:
    messages, _ = await _run(_tracker(text, kind))
    first = messages[0]["custom"]
    assert set(first) == {"type", "kind", "lines", "language"}
    assert first["language"] == "en"
    assert first["type"] == "crisis" and first["kind"] == kind
    assert first["lines"], "a crisis reply must list somewhere to call or text"
    for line in first["lines"]:
        assert set(line) == {"name", "phone", "text"}
        assert line["phone"] is None or line["phone"] in SEED_PHONES
        assert line["text"] is None or line["text"] in SEED_TEXTS


async def test_overdose_steps_then_peer_offer() -> None:
    messages, _ = await _run(_tracker("my bf od'd hes not breathing", "overdose"))
    assert [m.get("response") for m in messages[1:]] == [
        "utter_crisis_overdose", "utter_crisis_offer_peer"]
    steps = response_text("utter_crisis_overdose")
    assert "911" in steps and "naloxone" in steps.lower() and "stay with them" in steps.lower()


async def test_suicide_steps_name_988_and_911() -> None:
    messages, _ = await _run(_tracker("i want to die", "suicide"))
    assert messages[1]["response"] == "utter_crisis_suicide"
    assert messages[0]["custom"]["lines"][0]["phone"] == "988"
    for language in ("en", "es"):
        steps = response_text("utter_crisis_suicide", language)
        assert "988" in steps and "911" in steps


async def test_danger_steps_name_911() -> None:
    messages, _ = await _run(_tracker("he has a gun", "danger"))
    assert messages[1]["response"] == "utter_crisis_danger"
    assert "911" in response_text("utter_crisis_danger")


async def test_form_is_ended_and_kind_remembered() -> None:
    _, events = await _run(_tracker("hes not breathing", "overdose", form="search_form"))
    assert SlotSet("crisis_kind", "overdose") in events
    assert ActiveLoop(None) in events


async def test_no_form_event_when_no_form_is_active() -> None:
    _, events = await _run(_tracker("hes not breathing", "overdose"))
    assert events == [SlotSet("crisis_kind", "overdose")]


async def test_kind_falls_back_to_the_text_then_to_danger() -> None:
    messages, events = await _run(_tracker("i want to kill myself"))
    assert messages[0]["custom"]["kind"] == "suicide"
    messages, events = await _run(_tracker("help"))
    assert messages[0]["custom"]["kind"] == "danger"
    assert SlotSet("crisis_kind", "danger") in events


async def test_an_unknown_entity_value_is_not_trusted() -> None:
    messages, _ = await _run(_tracker("he's not breathing", kind="sadness"))
    assert messages[0]["custom"]["kind"] == "overdose"


@pytest.mark.parametrize(("subject", "first_person"), [("self", True), ("other", False),
                                                       ("unknown", False)])
async def test_overdose_wording_follows_who_is_in_danger(
        monkeypatch: pytest.MonkeyPatch, subject: str, first_person: bool) -> None:
    from actions import crisis as crisis_module
    from core.crisis import CrisisSignal

    monkeypatch.setattr(crisis_module, "detect_crisis", lambda text: CrisisSignal(
        kind="overdose", matched="took too much", rule="test", subject=subject))
    messages, _ = await _run(_tracker("i took too much", "overdose"))
    assert messages[0]["custom"]["type"] == "crisis"  # the crisis payload still comes first
    expected = "utter_crisis_overdose_self" if first_person else "utter_crisis_overdose"
    assert messages[1]["response"] == expected


async def test_a_crisis_with_an_ask_for_a_person_asks_for_a_peer_at_once() -> None:
    """Seen in the browser: "i want to talk to someone, i don't want to be alive anymore" got
    the crisis reply and then "Would you like to talk with a peer?" — a second question to a
    person who had already asked. The handoff is requested in the same turn instead (the web
    app then queues them first, or gives its crisis reply for nobody online)."""
    messages, events = await _run(_tracker(
        "i want to talk to someone, i don't want to be alive anymore", "suicide"))
    assert messages[0]["custom"]["type"] == "crisis"  # the lines still come first
    customs = [m["custom"]["type"] for m in messages if m.get("custom")]
    assert customs == ["crisis", "handoff"]
    assert not any(m.get("buttons") for m in messages), "no second question"
    status = next(m["custom"]["status"] for m in messages
                  if (m.get("custom") or {}).get("type") == "handoff")
    assert status == "requested"
    assert not any(e.get("event") == "pause" for e in events)


async def test_a_crisis_without_an_ask_for_a_person_offers_one() -> None:
    messages, _ = await _run(_tracker("i don't want to be alive anymore", "suicide"))
    assert not any((m.get("custom") or {}).get("type") == "handoff" for m in messages)
    assert messages[-1]["response"] == "utter_crisis_offer_peer"


CRISIS_RESPONSES = ["utter_crisis_overdose", "utter_crisis_overdose_self", "utter_crisis_suicide",
                    "utter_crisis_danger", "utter_crisis_offer_peer"]


@pytest.mark.parametrize("name", CRISIS_RESPONSES)
def test_every_crisis_response_has_a_spanish_variation(name: str) -> None:
    spanish, english = response_text(name, "es"), response_text(name, "en")
    assert spanish != english
    # the same lines in both languages (988, 911)
    assert set(re.findall(r"\b\d{3}\b", spanish)) == set(re.findall(r"\b\d{3}\b", english))


def test_the_spanish_988_option_is_the_lifeline_s_own() -> None:
    """Press 2 / AYUDA come from national_resources.json (with the page that says so)."""
    lifeline = next(entry for entry in SEED if entry["key"] == "988")
    option = lifeline["spanish"]
    spanish = response_text("utter_crisis_suicide", "es")
    assert f"oprime {option['press']}" in spanish
    assert f"envía {option['text_keyword']} por mensaje de texto al {lifeline['text']}" in spanish

