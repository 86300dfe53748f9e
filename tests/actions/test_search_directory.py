"""action_search_resources against the fictional fixture directory (real search, SQLite)."""

from __future__ import annotations

from typing import Any

from actions.followups import ActionAnswerFollowup
from actions.search import ActionSearchResources
from tests.actions.helpers import make_tracker, payloads, rendered, run_action, slot_events


def slots_for(need: str, **extra: Any) -> dict[str, Any]:
    return {"needs": [need], "location": "Baltimore, MD", "lat": 39.3,
            "lon": -76.6, "place_source": "shared", "insurance": None, **extra}


async def test_detox_near_baltimore_with_medicaid(monkeypatched_directory: str) -> None:
    messages, events = await run_action(
        ActionSearchResources(), make_tracker(slots_for("detox", insurance="medicaid")))
    [payload] = payloads(messages, "resources")
    names = [card["name"] for card in payload["resources"]]
    assert names[0] == "Example Detox Center"  # nearest, takes Medicaid
    assert "Example Closed Detox" not in names  # closed services are never offered
    assert all("detox" in card["categories"] for card in payload["resources"])
    assert all("medicaid" in card["insurance"] for card in payload["resources"])
    distances = [card["distance_miles"] for card in payload["resources"]]
    assert distances == sorted(distances)
    assert "Looking for detox and withdrawal care near Baltimore, MD, taking Medicaid" in (
        rendered(messages))
    assert slot_events(events)["last_results"][0] == payload["resources"][0]["id"]


async def test_harm_reduction_near_baltimore(monkeypatched_directory: str) -> None:
    messages, _ = await run_action(ActionSearchResources(),
                                   make_tracker(slots_for("harm_reduction")))
    names = [c["name"] for c in payloads(messages, "resources")[0]["resources"]]
    assert "Example Harm Reduction Outreach" in names


async def test_a_typed_place_without_a_point_is_searched_by_name(
        monkeypatched_directory: str) -> None:
    tracker = make_tracker({"needs": ["housing"], "location": "Towson, MD"})
    messages, _ = await run_action(ActionSearchResources(), tracker)
    [payload] = payloads(messages, "resources")
    assert payload["resources"][0]["name"] == "Example Towson Sober Living"


async def test_phone_follow_up_uses_the_directory_card(monkeypatched_directory: str) -> None:
    _, events = await run_action(ActionSearchResources(),
                                 make_tracker(slots_for("detox", insurance="medicaid")))
    shown = {**slots_for("detox"), **slot_events(events)}
    messages, _ = await run_action(ActionAnswerFollowup(),
                                   make_tracker(shown, "what's their number", "ask_phone"))
    assert rendered(messages) == "You can call Example Detox Center at 410-555-0100."


async def test_a_misread_preference_does_not_break_the_search(
        monkeypatched_directory: str) -> None:
    # The real model once tagged "years" in "been using for years" as a population.
    tracker = make_tracker(slots_for("detox", insurance="medicaid", population="years",
                                     language="spanish please"))
    messages, _ = await run_action(ActionSearchResources(), tracker)
    [payload] = payloads(messages, "resources")
    assert payload["resources"][0]["name"] == "Example Detox Center"
    assert payload["query"]["population"] is None
    assert "went wrong" not in rendered(messages)


async def test_one_need_named_twice_is_searched_once(monkeypatched_directory: str) -> None:
    # "want to get off dope, where can i go to detox" fills the needs slot with detox twice.
    tracker = make_tracker({**slots_for("detox", insurance="medicaid"),
                            "needs": ["detox", "detox"]})
    messages, _ = await run_action(ActionSearchResources(), tracker)
    assert len(payloads(messages, "resources")) == 1
    assert "Next," not in rendered(messages)


async def test_a_spanish_speaker_gets_spanish_speaking_places_first_in_spanish(
        monkeypatched_directory: str) -> None:
    """Issue 17: Spanish-speaking services first and said so, nothing filtered out, and the
    hours on the cards in Spanish."""
    tracker = make_tracker(slots_for("mental_health", chat_language="es"))
    messages, _ = await run_action(ActionSearchResources(), tracker)
    [payload] = payloads(messages, "resources")
    cards = payload["resources"]
    assert [("es" in card["languages"]) for card in cards] == [True, True, False, False]
    assert "Primero van los lugares que atienden en español (2 de 4)." in rendered(messages, "es")
    assert cards[0]["hours"] == "lun–vie 9 a.m.–5 p.m."


async def test_asking_for_spanish_services_no_longer_hides_the_others(
        monkeypatched_directory: str) -> None:
    """The language asked of services orders, it does not filter: the nearest detox that
    lists only English is still offered, after the one that speaks Spanish."""
    tracker = make_tracker(slots_for("detox", language="es", chat_language="en"))
    messages, _ = await run_action(ActionSearchResources(), tracker)
    names = [card["name"] for card in payloads(messages, "resources")[0]["resources"]]
    assert names[0] == "Example Detox Center" and len(names) == 3
    assert "Places with Spanish-speaking staff come first (1 of 3)." in rendered(messages)
