"""Meeting searches in the chat, against a directory holding a fictional Meeting Guide feed
(tests/fixtures/meeting_feed.py): time words, online meetings without a place, types and
fellowship, and the answer's wording."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateSearchForm
from actions.meeting_words import when_text
from actions.meetings import meeting_ask
from actions.search import ActionSearchResources
from resources_db.understand import understand
from tests.actions.helpers import (
    DOMAIN,
    make_tracker,
    payloads,
    rendered,
    response_names,
    run_action,
    user_event,
)
from tests.fixtures.meeting_feed import import_meetings, meeting_rows, tonight_row


@pytest.fixture
def meetings_directory(
    empty_directory_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    import_meetings(empty_directory_url, [*meeting_rows(), tonight_row()], tmp_path)
    monkeypatch.setenv("RN_DATABASE_URL", empty_directory_url)
    return empty_directory_url


def _conversation(*messages: str, slots: dict[str, Any] | None = None) -> Any:
    """A tracker whose person said `messages` in turn (the last is the latest)."""
    earlier = [user_event(text, "inform") for text in messages[:-1]]
    return make_tracker(slots or {}, text=messages[-1], events=earlier)


IN_BALTIMORE = {"location": "Baltimore, MD 21201", "place_source": "typed"}


async def _meeting_search(text: str, **slots: Any) -> list[dict[str, Any]]:
    """What the search action sends when the person, looking for meetings (with `slots`
    set), last wrote `text`."""
    tracker = _conversation(text, slots={"needs": ["mutual_aid"], **slots})
    messages, _ = await run_action(ActionSearchResources(), tracker)
    return messages


@pytest.mark.parametrize(
    ("text", "when", "online", "types", "fellowship"),
    [
        ("any meetings tonight near 21201", "tonight", False, (), None),
        ("online NA meetings", None, True, (), "NA"),
        ("virtual NA meeting", None, True, (), "NA"),
        ("zoom meetings tomorrow morning", "tomorrow_morning", True, (), None),
        ("open AA meeting on saturday", "saturday", False, ("O",), "AA"),
        ("a women's meeting right now", "now", False, ("W",), None),
        ("reunión en español esta noche", "tonight", False, ("S",), None),
        ("closed meetings this afternoon", "today_afternoon", False, ("C",), None),
        ("AA or NA meetings", None, False, (), None),
    ],
)
def test_the_message_says_what_meeting_is_wanted(
    text: str, when: str | None, online: bool, types: tuple[str, ...], fellowship: str | None
) -> None:
    understood = understand(text)
    assert understood.needs == ("mutual_aid",)
    assert understood.meeting.when == when
    assert understood.meeting.online is online
    assert understood.meeting.types == types
    assert understood.meeting.fellowship == fellowship


def test_other_searches_read_as_before() -> None:
    understood = understand("I need detox near 21201 that takes medicaid")
    assert understood.needs == ("detox",) and understood.insurance == "medicaid"
    assert understood.place is not None and not understood.meeting


def test_wishes_are_read_back_to_the_message_that_asked_for_meetings() -> None:
    tracker = _conversation("I need detox", "any meetings tonight?", "21201")
    ask = meeting_ask(tracker)
    assert ask.when == "tonight" and not ask.online
    # a message naming a need ends the look-back: "detox" said nothing of meetings
    assert meeting_ask(_conversation("women's meeting", "I need detox", "21201")).types == ()


async def test_online_meetings_need_no_place() -> None:
    tracker = _conversation("online NA meetings", slots={"needs": ["mutual_aid"]})
    required = await ValidateSearchForm().required_slots(
        ["needs", "location", "insurance"], CollectingDispatcher(), tracker, DOMAIN
    )
    assert required == []
    in_person = _conversation("NA meetings", slots={"needs": ["mutual_aid"]})
    required = await ValidateSearchForm().required_slots(
        ["needs", "location", "insurance"], CollectingDispatcher(), in_person, DOMAIN
    )
    assert required == ["location"]


async def test_online_na_meetings_are_answered_from_anywhere(meetings_directory: str) -> None:
    messages = await _meeting_search("online NA meetings")
    [payload] = payloads(messages, "resources")
    assert [card["name"] for card in payload["resources"]] == ["Example Online Hope"]
    said = rendered(messages)
    assert "Here are online NA meetings" in said
    assert "online: https://example.org/join/na-online" in said
    assert "dial-in 410-555-0161" in said


async def test_meetings_tonight_near_a_zip_name_their_time(meetings_directory: str) -> None:
    messages = await _meeting_search("any meetings tonight near 21201", **IN_BALTIMORE)
    [payload] = payloads(messages, "resources")
    names = [card["name"] for card in payload["resources"]]
    assert "Example Evening Hope" in names
    assert "Example Online Hope" not in names
    card = payload["resources"][names.index("Example Evening Hope")]
    assert card["meeting"]["next"] in rendered(messages)
    assert "recovery meetings tonight near Baltimore, MD" in rendered(messages)


@pytest.mark.parametrize("slot", ["language", "chat_language"])
async def test_type_names_follow_the_persons_language(meetings_directory: str, slot: str) -> None:
    """The language asked of services, or the one the person writes in (chat_language)."""
    messages = await _meeting_search("women's meeting", **IN_BALTIMORE, **{slot: "es"})
    [payload] = payloads(messages, "resources")
    [card] = payload["resources"]
    assert [t["name"] for t in card["meeting"]["types"]] == ["Español", "Mujeres"]
    if slot == "chat_language":
        said = rendered(messages, "es")
        assert "Aquí tienes reuniones de recuperación de mujeres cerca de Baltimore, MD" in said
        assert card["meeting"]["next"].startswith(("Esta noche", "Hoy", "Mañana", "lun", "mar",
                                                   "mié", "jue", "vie", "sáb", "dom"))
        assert "Pregúntame sobre cualquiera" in said
    else:
        said = rendered(messages)
        assert "Here are women's recovery meetings near Baltimore, MD" in said


async def test_nothing_found_says_what_was_looked_for(meetings_directory: str) -> None:
    messages = await _meeting_search("men's meetings on saturday morning", **IN_BALTIMORE)
    assert payloads(messages, "resources") == []
    said = rendered(messages)
    assert "I couldn't find men's recovery meetings on Saturday morning near Baltimore" in said
    names = response_names(messages)
    assert names.count("utter_offer_peer") == 1
    assert "utter_national_finder_line" in names  # one national finder, written out


def test_when_reads_plainly() -> None:
    assert [
        when_text(k)
        for k in (
            "tonight",
            "now",
            "tomorrow_morning",
            "saturday",
            "today_afternoon",
            "friday_night",
        )
    ] == [
        "tonight",
        "starting soon",
        "tomorrow morning",
        "on Saturday",
        "this afternoon",
        "on Friday night",
    ]


def test_spanish_pieces_of_a_meeting_answer() -> None:
    from actions.meeting_words import what_text

    assert what_text({"online": True, "fellowship": "NA"}, "es") == "reuniones de NA en línea"
    assert what_text({"meeting_types": ["O"], "fellowship": "AA"}, "es") == (
        "reuniones abiertas de AA")
    assert what_text({"meeting_types": ["W"]}, "es") == "reuniones de recuperación de mujeres"
    assert [when_text(k, "es") for k in ("tonight", "saturday_morning", "tomorrow_evening",
                                         "now", "sunday")] == [
        "esta noche", "el sábado por la mañana", "mañana por la noche",
        "que empiecen pronto", "el domingo"]
