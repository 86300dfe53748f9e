"""action_search_resources and paging/follow-ups, with the directory replaced by a fake.

The fake returns contract-shaped bodies with visibly fictional cards; the tests check what
the person receives: one resources payload per need, a short summary, honest notices, the
national lines (and only those numbers) when nothing fits.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from actions import search as search_module
from actions.conversation import ActionHandleFallback, ActionShowMore
from actions.followups import ActionAnswerFollowup
from actions.search import PAGE_SIZE, ActionSearchResources, SearchPlan
from resources_db.national import national_lines
from resources_db.search import SearchError
from tests.actions.helpers import (
    make_tracker,
    payloads,
    rendered,
    response_names,
    run_action,
    slot_events,
    user_event,
)

CARD_KEYS = {"id", "name", "organization", "categories", "address", "city", "state", "zip",
             "lat", "lon", "distance_miles", "phone", "website", "insurance", "populations",
             "languages", "hours", "open_now", "capacity", "last_verified", "source"}


def card(n: int, need: str) -> dict[str, Any]:
    return {
        "id": f"example-{need}-{n}", "name": f"Example {need.title()} Center {n}",
        "organization": None, "categories": [need], "address": f"{100 + n} Example St",
        "city": "Baltimore", "state": "MD", "zip": "21201", "lat": 39.29, "lon": -76.62,
        "distance_miles": round(0.7 * n, 1), "phone": f"410-555-01{n:02d}",
        "website": None, "insurance": ["medicaid"], "populations": [], "languages": ["en"],
        "hours": "Mon-Fri 9am-5pm" if n == 1 else None, "open_now": True if n == 1 else None,
        "capacity": None, "last_verified": "2021-06-01", "source": "test",
    }


class FakeDirectory:
    """Stands in for `run_search`; records each plan it was asked for."""

    def __init__(self, total: int = 12, relaxed: bool = False,
                 error: Exception | None = None) -> None:
        self.total, self.relaxed, self.error = total, relaxed, error
        self.plans: list[SearchPlan] = []

    def __call__(self, plan: SearchPlan) -> dict[str, Any]:
        self.plans.append(plan)
        if self.error is not None:
            raise self.error
        count = max(0, min(PAGE_SIZE, self.total - plan.offset))
        return {
            "query": {"need": [plan.need],
                      "near": {"label": "Baltimore, MD 21201", "lat": 39.29, "lon": -76.62},
                      "radius_miles": 25, "insurance": plan.insurance},
            "total": self.total, "relaxed": self.relaxed,
            "resources": [card(plan.offset + i + 1, plan.need) for i in range(count)],
        }


@pytest.fixture
def directory(monkeypatch: pytest.MonkeyPatch) -> FakeDirectory:
    fake = FakeDirectory()
    monkeypatch.setattr(search_module, "run_search", fake)
    return fake


SLOTS = {"needs": ["detox"], "location": "Baltimore, MD", "lat": 39.29, "lon": -76.62,
         "insurance": "medicaid", "place_source": "shared"}


async def test_one_resources_payload_with_contract_cards(directory: FakeDirectory) -> None:
    messages, events = await run_action(ActionSearchResources(), make_tracker(SLOTS))
    [payload] = payloads(messages, "resources")
    assert set(payload) >= {"type", "query", "total", "relaxed", "resources"}
    assert payload["total"] == 12 and payload["relaxed"] is False
    assert len(payload["resources"]) == PAGE_SIZE
    assert all(set(c) == CARD_KEYS for c in payload["resources"])
    summary = rendered(messages)
    # each result arrives once: in the cards, not again as a numbered list
    assert "1. Example Detox Center" not in summary and "0.7 miles" not in summary
    slots = slot_events(events)
    assert slots["needs"] is None and slots["current_need"] == "detox"
    assert slots["last_results"][0] == "example-detox-1"


async def test_the_search_uses_the_persons_point_and_insurance(directory: FakeDirectory) -> None:
    await run_action(ActionSearchResources(), make_tracker(SLOTS))
    query = directory.plans[0].to_query()
    # searched from the coarse point the tracker store keeps, so every page agrees
    assert (query.lat, query.lon, query.near) == (39.3, -76.6, None)
    assert query.insurance == "medicaid" and query.needs == ["detox"]


async def test_skipped_insurance_does_not_filter(directory: FakeDirectory) -> None:
    await run_action(ActionSearchResources(), make_tracker({**SLOTS, "insurance": "any"}))
    assert directory.plans[0].to_query().insurance is None


async def test_several_needs_are_served_in_order(directory: FakeDirectory) -> None:
    messages, events = await run_action(
        ActionSearchResources(), make_tracker({**SLOTS, "needs": ["detox", "housing"]}))
    assert [p["query"]["need"] for p in payloads(messages, "resources")] == [["detox"],
                                                                              ["housing"]]
    assert "Next, a place to live:" in rendered(messages)
    assert slot_events(events)["needs"] is None


async def test_a_widened_search_is_said_plainly(directory: FakeDirectory) -> None:
    directory.relaxed = True
    messages, _ = await run_action(ActionSearchResources(), make_tracker(SLOTS))
    assert payloads(messages, "resources")[0]["relaxed"] is True
    assert "the closest I found is 1 miles away in Baltimore, MD" in rendered(messages)


async def test_a_widened_housing_search_also_gives_211(directory: FakeDirectory) -> None:
    directory.relaxed = True
    messages, _ = await run_action(
        ActionSearchResources(), make_tracker({**SLOTS, "needs": ["housing"]}))
    assert "211 (United Way): call 211" in rendered(messages)


async def test_nothing_found_gives_national_lines_and_a_peer(directory: FakeDirectory) -> None:
    directory.total = 0
    messages, _ = await run_action(
        ActionSearchResources(), make_tracker({**SLOTS, "needs": ["harm_reduction"]}))
    assert payloads(messages, "resources") == []
    reply = rendered(messages)
    assert "Never Use Alone" in reply and "1-800-484-3731" in reply
    assert "utter_offer_peer" in response_names(messages)
    known = {line["phone"] for line in national_lines() if line.get("phone")}
    assert set(re.findall(r"1-\d{3}-\d{3}-\d{4}", reply)) <= known


async def test_a_directory_failure_is_an_apology_not_a_trace(directory: FakeDirectory) -> None:
    directory.error = RuntimeError("database is locked")
    messages, _ = await run_action(ActionSearchResources(), make_tracker(SLOTS))
    reply = rendered(messages)
    assert "can't reach the directory" in reply
    assert "Traceback" not in reply and "database is locked" not in reply
    assert "1-800-662-4357" in reply  # SAMHSA helpline still given for detox


async def test_an_unknown_place_asks_again(directory: FakeDirectory) -> None:
    directory.error = SearchError("unknown_place", "no such place", "near")
    messages, _ = await run_action(
        ActionSearchResources(), make_tracker({"needs": ["detox"], "location": "qwzxv"}))
    assert "like 21201 or Towson, MD" in rendered(messages)


async def test_a_correction_re_runs_the_last_need(directory: FakeDirectory) -> None:
    await run_action(ActionSearchResources(), make_tracker(
        {**SLOTS, "needs": None, "current_need": "moud", "insurance": "medicare"}))
    assert directory.plans[0].need == "moud" and directory.plans[0].insurance == "medicare"


async def results_shown(directory: FakeDirectory) -> dict[str, Any]:
    _, events = await run_action(ActionSearchResources(), make_tracker(SLOTS))
    return {**SLOTS, "needs": None, **slot_events(events)}


async def test_more_shows_the_next_page(directory: FakeDirectory) -> None:
    slots = await results_shown(directory)
    messages, events = await run_action(ActionShowMore(), make_tracker(slots, "more",
                                                                       "more_results"))
    names = [c["name"] for c in payloads(messages, "resources")[0]["resources"]]
    assert names[0] == "Example Detox Center 6"
    assert slot_events(events)["results_offset"] == PAGE_SIZE


async def test_more_after_the_last_page_says_so(directory: FakeDirectory) -> None:
    slots = {**(await results_shown(directory)), "results_offset": 10.0}
    messages, _ = await run_action(ActionShowMore(), make_tracker(slots, "more",
                                                                  "more_results"))
    assert payloads(messages, "resources") == []
    assert "That's everything" in rendered(messages)


@pytest.mark.parametrize(("text", "intent", "expected"), [
    ("what's their number", "ask_phone", "You can call Example Detox Center 1 at 410-555-0101"),
    ("number for the second one", "ask_phone", "Example Detox Center 2 at 410-555-0102"),
    ("whats the address of the 3rd", "ask_address", "Example Detox Center 3 is at 103 Example St"),
    ("the last one's number", "ask_phone", "410-555-0105"),
    ("when is example detox center 4 open", "ask_hours",
     "Example Detox Center 4 hasn't listed hours; call 410-555-0104 to ask"),
    ("is the first one open now", "ask_hours", "Mon-Fri 9am-5pm. They should be open now."),
    ("are they open now", "ask_hours", "These should be open now: Example Detox Center 1."),
])
async def test_follow_up_questions_answer_from_the_results_shown(
        directory: FakeDirectory, text: str, intent: str, expected: str) -> None:
    slots = await results_shown(directory)
    messages, _ = await run_action(ActionAnswerFollowup(), make_tracker(slots, text, intent))
    assert expected in rendered(messages)


async def test_follow_up_without_results_asks_what_to_look_for() -> None:
    messages, _ = await run_action(ActionAnswerFollowup(),
                                   make_tracker({}, "what's their number", "ask_phone"))
    assert "haven't shown you any places" in rendered(messages)


async def test_first_fallback_re_asks_and_second_offers_a_peer() -> None:
    first, _ = await run_action(ActionHandleFallback(), make_tracker({}, "asdf",
                                                                      "nlu_fallback"))
    assert "didn't understand" in rendered(first)
    assert response_names(first) == ["utter_fallback"]
    earlier = [user_event("hello", "greet"), user_event("qqq", "nlu_fallback")]
    second, _ = await run_action(ActionHandleFallback(),
                                 make_tracker({}, "zzz", "nlu_fallback", events=earlier))
    assert response_names(second) == ["utter_offer_peer_after_misses"]


async def test_an_understood_message_resets_the_fallback_count() -> None:
    earlier = [user_event("qqq", "nlu_fallback"), user_event("detox", "find_help")]
    messages, _ = await run_action(ActionHandleFallback(),
                                   make_tracker({}, "zzz", "nlu_fallback", events=earlier))
    assert response_names(messages) == ["utter_fallback"]


async def test_fallback_inside_the_form_repeats_the_open_question_and_waits() -> None:
    tracker = make_tracker({"requested_slot": "insurance", "needs": ["detox"]}, "blah",
                           "nlu_fallback")
    messages, events = await run_action(ActionHandleFallback(), tracker)
    assert "Do you have health insurance?" in rendered(messages)
    assert response_names(messages) == ["utter_reask_insurance"]
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}
