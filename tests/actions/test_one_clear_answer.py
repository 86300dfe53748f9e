"""One clear answer per search: what is searched, the cards once, one line of next steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from actions import search as search_module
from actions.presenting import stale_listings
from actions.search import ActionSearchResources, SearchPlan
from tests.actions.helpers import make_tracker, payloads, rendered, response_names, run_action
from tests.actions.test_search_action import card

TYPED = {"needs": ["detox"], "location": "Cumberland, MD", "location_checked": "Cumberland, MD",
         "place_source": "typed", "insurance": "medicaid"}


class Directory:
    """A fake directory answering with a given body."""

    def __init__(self, cards: list[dict[str, Any]], total: int, relaxed: bool = False,
                 scope: str = "radius") -> None:
        self.cards, self.total, self.relaxed, self.scope = cards, total, relaxed, scope

    def __call__(self, plan: SearchPlan) -> dict[str, Any]:
        return {"query": {"need": plan.to_query().needs, "offset": plan.offset,
                          "near": {"label": "Cumberland, MD", "lat": 39.65, "lon": -78.76},
                          "radius_miles": 25, "scope": self.scope},
                "total": self.total, "relaxed": self.relaxed, "resources": self.cards}


def use(monkeypatch: pytest.MonkeyPatch, directory: Directory) -> None:
    monkeypatch.setattr(search_module, "run_search", directory)


def kinds(messages: list[dict[str, Any]]) -> list[str]:
    return ["cards" if m.get("custom") else str(m.get("response") or "text") for m in messages]


def fresh(n: int) -> dict[str, Any]:
    return {**card(n, "detox"), "last_verified": dt.date.today().isoformat()}


async def test_the_sentence_comes_first_then_the_cards_once_then_next_steps(
        monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, Directory([fresh(n) for n in range(1, 6)], total=12))
    messages, _ = await run_action(ActionSearchResources(), make_tracker(TYPED))
    assert kinds(messages) == ["utter_results_near_insurance", "cards", "utter_results_next"]
    assert rendered(messages).startswith(
        "Looking for detox and withdrawal care near Cumberland, MD, taking Medicaid.")
    assert "national services" not in rendered(messages)  # plenty nearby: no national block
    assert len(payloads(messages, "resources")) == 1


async def test_far_results_are_never_called_near(monkeypatch: pytest.MonkeyPatch) -> None:
    far = {**fresh(1), "distance_miles": 199.3, "city": "Secaucus", "state": "NJ"}
    use(monkeypatch, Directory([far], total=1, relaxed=True))
    messages, _ = await run_action(ActionSearchResources(), make_tracker(TYPED))
    reply = rendered(messages)
    assert "the closest I found is 199 miles away in Secaucus, NJ" in reply
    assert "Here are the closest" not in reply
    assert kinds(messages)[:2] == ["utter_results_far_insurance", "cards"]


async def test_thin_results_add_the_national_lines_once(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, Directory([fresh(1)], total=1))
    messages, _ = await run_action(ActionSearchResources(), make_tracker(TYPED))
    assert response_names(messages).count("utter_results_national_lines") == 1
    assert rendered(messages).count("1-800-662-4357") == 1


async def test_old_listings_say_when_they_were_last_verified(
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = {**fresh(2), "last_verified": "2017-03-02"}
    use(monkeypatch, Directory([fresh(1), old], total=2))
    messages, _ = await run_action(ActionSearchResources(), make_tracker(TYPED))
    assert "Example Detox Center 2: last verified 2017 — call to check" in rendered(messages)
    assert "Example Detox Center 1:" not in rendered(messages)


def test_two_years_is_the_line_for_a_caution() -> None:
    today = dt.date(2026, 12, 2)
    cards: list[dict[str, Any]] = [{"name": "A", "last_verified": "2024-12-10"}, {"name": "B",
                                                            "last_verified": "2024-11-01"},
             {"name": "C", "last_verified": None}]
    assert stale_listings(cards, today) == {2024: ["B"]}


async def test_people_without_insurance_are_not_told_taking_none(
        monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, Directory([fresh(n) for n in range(1, 6)], total=5))
    messages, _ = await run_action(ActionSearchResources(),
                                   make_tracker({**TYPED, "insurance": "none"}))
    assert "for people without insurance" in rendered(messages)
    assert "taking none" not in rendered(messages)
    assert response_names(messages)[-1] == "utter_results_next_last"  # no "say more"
