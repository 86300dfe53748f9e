"""Meeting searches: time windows in each meeting's own zone, online meetings from anywhere,
types and fellowship as filters, the card's next meeting, the API parameters.

The directory holds the fictional feed of tests/fixtures/meeting_feed.py; `now` is a Sunday,
3 PM in Baltimore. Runs on PostgreSQL too when RN_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from resources_db.db import session_scope
from resources_db.meeting_time import first_start, next_text, parse_when
from resources_db.search import SearchError, SearchQuery, parse_search_params, search
from tests.fixtures.meeting_feed import SUNDAY, import_meetings, meeting_rows

NEW_YORK = dt.timezone(dt.timedelta(hours=-5))


@pytest.fixture
def meetings_url(empty_directory_url: str, tmp_path: Path) -> str:
    import_meetings(empty_directory_url, meeting_rows(), tmp_path)
    return empty_directory_url


def _search(url: str, now: dt.datetime = SUNDAY, **asked: Any) -> dict[str, Any]:
    asked.setdefault("needs", ["mutual_aid"])
    with session_scope(url) as session:
        return search(session, SearchQuery(**asked), now)


def _names(body: dict[str, Any]) -> list[str]:
    return [card["name"] for card in body["resources"]]


def test_tonight_lists_the_meetings_starting_tonight_by_start_then_distance(
    meetings_url: str,
) -> None:
    body = _search(meetings_url, near="21201", when="tonight")
    assert _names(body) == [
        "Example Early Evening",  # 6 PM
        "Example Tonight Group",  # 7 PM, closer
        "Example Towson Tonight",  # 7 PM, farther
    ]
    first = body["resources"][1]["meeting"]
    assert (first["next"], first["day"], first["time"]) == ("Tonight 7:00 PM", "Sun", "7:00 PM")
    assert body["query"]["when"] == "tonight" and body["relaxed"] is False


def test_a_weekday_and_a_part_of_the_day_narrow_the_window(meetings_url: str) -> None:
    saturday = _search(meetings_url, near="21201", when="saturday")
    assert _names(saturday) == ["Example Mujeres Sabado"]
    assert saturday["resources"][0]["meeting"]["next"] == "Sat 10:00 AM"
    assert _names(_search(meetings_url, near="21201", when="saturday_evening")) == []
    assert _names(_search(meetings_url, near="21201", when="tomorrow")) == []
    later = SUNDAY + dt.timedelta(hours=3, minutes=30)  # 6:30 PM: the 6 PM meeting began
    assert _names(_search(meetings_url, later, near="21201", when="tonight"))[0] == (
        "Example Tonight Group"
    )


def test_online_meetings_come_from_anywhere_with_their_link(meetings_url: str) -> None:
    body = _search(meetings_url, online=True)
    assert _names(body) == ["Example Online Hope", "Example Noon Online"]
    card = body["resources"][0]
    assert card["meeting"]["online"] is True and card["distance_miles"] is None
    assert card["website"] == "https://example.org/join/na-online"
    assert card["phone"] == "410-555-0161"
    assert card["meeting"]["next"] == "Tonight 8:00 PM"  # 8 PM in Chicago, its own zone
    far_away = _search(meetings_url, online=True, near="94103")  # San Francisco
    assert _names(far_away) == _names(body)
    assert body["query"]["scope"] == "online"


def test_an_in_person_search_leaves_online_meetings_out(meetings_url: str) -> None:
    names = _names(_search(meetings_url, near="21201", when="today"))
    assert "Example Online Hope" not in names and "Example Tonight Group" in names


def test_fellowship_comes_from_the_meetings_own_words(meetings_url: str) -> None:
    assert _names(_search(meetings_url, online=True, fellowship="NA")) == ["Example Online Hope"]
    assert _names(_search(meetings_url, online=True, fellowship="AA")) == ["Example Noon Online"]
    # in person only the group's name says AA; with NA asked, none says it: the meetings
    # that say nothing are offered, and the answer says so
    na = _search(meetings_url, near="21201", when="tonight", fellowship="NA")
    assert na["query"]["fellowship_relaxed"] is True and na["relaxed"] is True
    assert "Example Tonight Group" not in _names(na)


@pytest.mark.parametrize(
    ("types", "names"),
    [
        (["O"], ["Example Tonight Group", "Example Towson Tonight"]),
        (["C"], ["Example Early Evening"]),
        (["W"], ["Example Mujeres Sabado"]),
        (["W", "S"], ["Example Mujeres Sabado"]),
        (["M"], []),
    ],
)
def test_meeting_types_filter(meetings_url: str, types: list[str], names: list[str]) -> None:
    assert _names(_search(meetings_url, near="21201", meeting_types=types)) == names


def test_cards_name_the_types_and_plain_meeting_searches_show_the_next_meeting(
    meetings_url: str,
) -> None:
    body = _search(meetings_url, near="21201")
    by_name = {card["name"]: card for card in body["resources"]}
    saturday = by_name["Example Mujeres Sabado"]["meeting"]
    assert saturday["types"] == [{"code": "S", "name": "Spanish"}, {"code": "W", "name": "Women"}]
    assert by_name["Example Tonight Group"]["meeting"]["next"] == "Tonight 7:00 PM"
    assert by_name["Example Tonight Group"]["meeting"]["fellowship"] == "AA"


def test_nothing_in_the_radius_widens_the_search(meetings_url: str) -> None:
    body = _search(meetings_url, near="21740", radius_miles=10, when="tonight")  # Hagerstown
    assert body["relaxed"] is True and body["query"]["radius_miles"] == 100
    assert len(body["resources"]) == 3


def test_other_needs_are_searched_as_before(meetings_url: str) -> None:
    body = _search(meetings_url, needs=["detox"], near="21201", when="tonight")
    assert body["query"]["scope"] == "national" and body["resources"] == []


def test_api_parameters_are_read_and_checked() -> None:
    query = parse_search_params(
        {
            "need": "mutual_aid",
            "online": "true",
            "when": "Saturday_Morning",
            "meeting_type": "w,s",
            "fellowship": "na",
        }
    )
    assert (query.online, query.when, query.meeting_types, query.fellowship) == (
        True,
        "saturday_morning",
        ["W", "S"],
        "NA",
    )
    assert query.place is None  # online: no place needed
    for params, code in (
        ({"need": "mutual_aid", "near": "21201", "when": "someday"}, "invalid_when"),
        ({"need": "mutual_aid", "near": "21201", "meeting_type": "XYZ"}, "unknown_meeting_type"),
        ({"need": "mutual_aid", "near": "21201", "fellowship": "CA"}, "unknown_fellowship"),
        ({"need": "mutual_aid"}, "missing_location"),
    ):
        with pytest.raises(SearchError) as error:
            parse_search_params(params)
        assert error.value.code == code


@pytest.mark.parametrize(
    ("key", "local_now", "start", "end"),
    [
        ("tonight", "2026-12-06 15:00", "2026-12-06 17:00", "2026-12-07 03:00"),
        ("tonight", "2026-12-06 20:00", "2026-12-06 19:50", "2026-12-07 03:00"),
        ("tonight", "2026-12-07 01:00", "2026-12-07 00:50", "2026-12-07 03:00"),
        ("tonight", "2026-12-07 03:30", "2026-12-07 17:00", "2026-12-08 03:00"),
        ("now", "2026-12-06 15:00", "2026-12-06 14:50", "2026-12-06 16:00"),
        ("tomorrow_morning", "2026-12-06 15:00", "2026-12-07 05:00", "2026-12-07 12:00"),
        ("saturday", "2026-12-06 15:00", "2026-12-12 00:00", "2026-12-13 00:00"),
        ("sunday", "2026-12-06 15:00", "2026-12-06 14:50", "2026-12-07 00:00"),
    ],
)
def test_windows_are_wall_clock_times(key: str, local_now: str, start: str, end: str) -> None:
    def at(text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(text).replace(tzinfo=NEW_YORK)

    assert parse_when(key).window(at(local_now)) == (at(start), at(end))


def test_next_meeting_text() -> None:
    spec = [[5, "10:00", "11:00"], [6, "19:00", "20:00"]]  # Saturday 10 AM, Sunday 7 PM
    start = first_start(spec, "America/New_York", SUNDAY)
    assert start is not None and next_text(start, SUNDAY) == "Tonight 7:00 PM"
    saturday = first_start(spec, "America/New_York", SUNDAY, parse_when("saturday"))
    assert saturday is not None and next_text(saturday, SUNDAY) == "Sat 10:00 AM"
    assert next_text(start, SUNDAY, "es") == "Esta noche 7:00 p.m."
    assert next_text(saturday, SUNDAY, "es") == "sáb 10:00 a.m."
    assert first_start(spec, None, SUNDAY) is None
    with pytest.raises(ValueError):
        parse_when("tonight_morning")


def test_a_meeting_after_midnight_is_still_tonight() -> None:
    one_am = dt.datetime(2026, 12, 6, 6, 0, tzinfo=dt.UTC)  # Sunday 1 AM in Baltimore
    spec = [[6, "01:30", "02:30"]]
    start = first_start(spec, "America/New_York", one_am, parse_when("tonight"))
    assert start is not None and next_text(start, one_am) == "Tonight 1:30 AM"
