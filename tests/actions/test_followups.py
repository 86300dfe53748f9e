"""Questions about the services shown: by position, by name, by attribute, or all of them,
answered from the last results and honest when a listing does not say."""

from __future__ import annotations

from typing import Any

import pytest

from actions.followups import ActionAnswerFollowup, looks_like_followup
from tests.actions.helpers import make_tracker, rendered, response_names, run_action

BED = {"available": 2, "total": 16, "unit": "beds", "updated_at": "2026-11-30T08:00:00Z"}
SHOWN: list[dict[str, Any]] = [
    {"name": "Example Reflective Recovery", "phone": "410-555-0101", "address": "1 Example Rd",
     "city": "Cumberland", "state": "MD", "zip": "21502", "hours": None, "open_now": None,
     "insurance": ["medicaid", "private"], "capacity": None, "website": None},
    {"name": "Example Turning Point Clinic", "phone": "410-555-0102", "address": None,
     "city": "Frostburg", "state": "MD", "zip": None, "hours": "Mon-Fri 8am-4pm",
     "open_now": False, "insurance": ["medicare"], "capacity": BED, "website": None},
    {"name": "Example Hope House", "phone": None, "address": "3 Example Ave",
     "city": "Cumberland", "state": "MD", "zip": None, "hours": None, "open_now": None,
     "insurance": [], "capacity": None, "website": "https://example.org"},
]


async def ask(text: str, intent: str = "ask_details",
              shown: list[dict[str, Any]] | None = None) -> tuple[list[dict[str, Any]], str]:
    tracker = make_tracker({"shown_resources": SHOWN if shown is None else shown}, text, intent)
    messages, _ = await run_action(ActionAnswerFollowup(), tracker)
    return messages, rendered(messages)


async def test_do_any_of_them_have_a_bed_tonight_answers_across_all_cards() -> None:
    messages, reply = await ask("do any of them have a bed tonight")
    assert response_names(messages) == ["utter_followup_any_beds"]
    assert "Example Turning Point Clinic (2)" in reply
    assert "Example Reflective" not in reply.split("Call before")[0]


async def test_no_beds_listed_anywhere_says_so_and_gives_their_numbers() -> None:
    shown = [{**c, "capacity": None} for c in SHOWN]
    messages, reply = await ask("any beds open tonight?", shown=shown)
    assert response_names(messages) == ["utter_followup_none_beds"]
    assert "Example Reflective Recovery: 410-555-0101" in reply
    assert "Example Hope House: https://example.org" in reply


async def test_a_service_named_loosely_is_found() -> None:
    _, reply = await ask("whats the address of reflective", "ask_address")
    assert reply == "Example Reflective Recovery is at 1 Example Rd, Cumberland, MD 21502."


async def test_unknown_hours_are_said_honestly_with_the_cards_number() -> None:
    _, reply = await ask("what time does reflective open", "ask_hours")
    assert reply == "Example Reflective Recovery hasn't listed hours; call 410-555-0101 to ask."


async def test_listed_hours_and_closed_now() -> None:
    _, reply = await ask("when is the second one open", "ask_hours")
    assert reply == "Example Turning Point Clinic: Mon-Fri 8am-4pm. They are probably closed " \
                    "right now."


@pytest.mark.parametrize(("text", "expected"), [
    ("does the second one take medicaid",
     "Example Turning Point Clinic doesn't list Medicaid; call 410-555-0102 to check."),
    ("does the first one take medicaid", "Example Reflective Recovery lists Medicaid."),
    ("does hope house take medicaid",
     "Example Hope House hasn't listed which insurance they take."),
    ("which ones take medicare", "These list Medicare: Example Turning Point Clinic."),
])
async def test_insurance_questions(text: str, expected: str) -> None:
    _, reply = await ask(text)
    assert expected in reply


async def test_a_beds_question_about_one_service() -> None:
    _, reply = await ask("does the 2nd have beds")
    assert reply.startswith("Example Turning Point Clinic listed 2 open beds on 2026-11-30.")


async def test_a_missing_phone_points_to_the_website() -> None:
    _, reply = await ask("number for the third one", "ask_phone")
    assert reply == "I don't have a phone number for Example Hope House. Their website is " \
                    "https://example.org."


async def test_is_anyone_open_now_answers_across_all() -> None:
    messages, reply = await ask("is anyone open right now")
    assert response_names(messages) == ["utter_followup_none_open"]
    assert "Example Turning Point Clinic: 410-555-0102" in reply


@pytest.mark.parametrize(("text", "expected"), [
    ("what's the address of reflective", True),
    ("do any of them have a bed tonight", True),
    ("what time does turning point open", True),
    ("i need detox in baltimore", False),
    ("the weather is nice", False),
])
def test_questions_about_shown_services_are_recognised(text: str, expected: bool) -> None:
    assert looks_like_followup(text, SHOWN) is expected


async def test_spanish_words_for_any_or_all_never_name_a_service() -> None:
    """'alguno/todos tienen camas' asks across all cards, even when a name looks like the
    word ("Todos Unidos"); the name itself still finds its card."""
    shown = [{**SHOWN[0], "name": "Example Todos Unidos Center"}, *SHOWN[1:]]
    tracker = make_tracker({"shown_resources": shown, "chat_language": "es"},
                           "todos tienen camas?", "ask_details")
    messages, _ = await run_action(ActionAnswerFollowup(), tracker)
    assert response_names(messages) == ["utter_followup_any_beds"]
    spanish = rendered(messages, "es")
    assert "Example Turning Point Clinic (2)" in spanish
    messages, _ = await ask("unidos tiene camas?", shown=shown)
    assert response_names(messages) == ["utter_followup_beds_unknown_phone"] or \
        "Todos Unidos" in rendered(messages)


async def test_spanish_none_answers_say_none_of_these_places() -> None:
    shown = [{**c, "capacity": None} for c in SHOWN]
    tracker = make_tracker({"shown_resources": shown, "chat_language": "es"},
                           "alguno tiene camas", "ask_details")
    messages, _ = await run_action(ActionAnswerFollowup(), tracker)
    assert response_names(messages) == ["utter_followup_none_beds"]
    assert rendered(messages, "es").startswith("Ninguno de estos lugares")
