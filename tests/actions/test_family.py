"""Family and friends get their own path: how to help, naloxone (nearby when a place is
known), the SAMHSA National Helpline from the seed file, and a peer."""

from __future__ import annotations

import pytest

from actions import search as search_module
from actions.family import ActionFamilySupport
from resources_db.national import line_by_key
from resources_db.understand import Understood
from tests.actions import helpers
from tests.actions.fake_understand import place, readings
from tests.actions.test_search_action import FakeDirectory


@pytest.fixture
def directory(monkeypatch: pytest.MonkeyPatch) -> FakeDirectory:
    """The fake directory the action searches, recording what it was asked."""
    fake = FakeDirectory()
    monkeypatch.setattr(search_module, "run_search", fake)
    return fake


async def test_without_a_place_how_to_help_naloxone_helpline_and_a_peer(
        monkeypatch: pytest.MonkeyPatch, directory: FakeDirectory) -> None:
    readings(monkeypatch, {})
    messages, _ = await helpers.run_action(
        ActionFamilySupport(), helpers.make_tracker({}, "my son is using what do i do"))
    assert helpers.response_names(messages) == [
        "utter_family_how_to_help", "utter_family_naloxone", "utter_family_lines",
        "utter_offer_peer"]
    helpline = line_by_key("samhsa_helpline")
    assert helpline is not None and helpline["phone"] in helpers.rendered(messages)
    assert directory.plans == []


async def test_with_a_place_naloxone_near_them_from_the_directory(
        monkeypatch: pytest.MonkeyPatch, directory: FakeDirectory) -> None:
    text = "my daughter uses, we live in towson md, how do i help"
    readings(monkeypatch, {text: Understood(for_someone_else=True, place=place("Towson, MD"),
                                            place_text="towson md")})
    messages, events = await helpers.run_action(ActionFamilySupport(),
                                                helpers.make_tracker({}, text))
    assert [p.need for p in directory.plans] == ["harm_reduction"]
    assert directory.plans[0].place == "Towson, MD"
    assert len(helpers.payloads(messages, "resources")) == 1
    names = helpers.response_names(messages)
    assert names[0] == "utter_family_how_to_help" and names[-1] == "utter_offer_peer"
    assert helpers.slot_events(events)["current_need"] == "harm_reduction"  # follow-ups work
