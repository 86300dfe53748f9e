"""Family and friends get their own path: how to help, naloxone (nearby when a place is
known), the SAMHSA National Helpline from the seed file, and a peer."""

from __future__ import annotations

import pytest

from actions import search as search_module
from actions.family import ActionFamilySupport
from resources_db.national import line_by_key
from resources_db.understand import Understood
from tests.actions.fake_understand import place, readings
from tests.actions.helpers import (
    make_tracker,
    payloads,
    rendered,
    response_names,
    run_action,
    slot_events,
)
from tests.actions.test_search_action import FakeDirectory


async def test_without_a_place_how_to_help_naloxone_helpline_and_a_peer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {})
    directory = FakeDirectory()
    monkeypatch.setattr(search_module, "run_search", directory)
    messages, _ = await run_action(ActionFamilySupport(),
                                   make_tracker({}, "my son is using what do i do"))
    assert response_names(messages) == ["utter_family_how_to_help", "utter_family_naloxone",
                                        "utter_family_lines", "utter_offer_peer"]
    helpline = line_by_key("samhsa_helpline")
    assert helpline is not None and helpline["phone"] in rendered(messages)
    assert directory.plans == []


async def test_with_a_place_naloxone_near_them_from_the_directory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "my daughter uses, we live in towson md, how do i help"
    readings(monkeypatch, {text: Understood(for_someone_else=True, place=place("Towson, MD"),
                                            place_text="towson md")})
    directory = FakeDirectory()
    monkeypatch.setattr(search_module, "run_search", directory)
    messages, events = await run_action(ActionFamilySupport(), make_tracker({}, text))
    assert [p.need for p in directory.plans] == ["harm_reduction"]
    assert directory.plans[0].place == "Towson, MD"
    assert len(payloads(messages, "resources")) == 1
    names = response_names(messages)
    assert names[0] == "utter_family_how_to_help" and names[-1] == "utter_offer_peer"
    assert slot_events(events)["current_need"] == "harm_reduction"  # follow-ups work
