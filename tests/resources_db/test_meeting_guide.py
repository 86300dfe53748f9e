"""The Meeting Guide feed importer: mapping, validation, idempotency, anonymity, CLI, URL.

The feed in tests/fixtures/meeting_guide/ is fictional ("Example …", 410-555-01xx,
example.org). Tests using `empty_directory_url` also run on PostgreSQL when
RN_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Session

from resources_db.cli import main
from resources_db.db import session_scope
from resources_db.importers import fetch, meeting_guide
from resources_db.importers.base import ImportSummary, import_records
from resources_db.models import (
    Address,
    Attribute,
    Base,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    TaxonomyTerm,
)

FEED = Path(__file__).resolve().parent.parent / "fixtures" / "meeting_guide" / "example_feed.json"
CONTACT_VALUES = (
    "Exampleperson", "alex.contact@example.org", "410-555-0198", "4105550198",
    "410-555-0197", "kim.contact@example.org",
)


def _meetings() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(FEED.read_text())
    return data


def _write(tmp_path: Path, meetings: list[Any]) -> Path:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(meetings))
    return path


def _import(url: str, path: Path) -> ImportSummary:
    with session_scope(url) as session:
        return import_records(session, meeting_guide.SOURCE, meeting_guide.parse(path))


def _service(session: Session, name: str) -> Service:
    return session.execute(select(Service).where(Service.name == name)).scalar_one()


def _bad_feed() -> list[Any]:
    good = _meetings()
    bad = [
        {"name": "Example Bad Day", "slug": "example-bad-day", "day": 7, "time": "18:00"},
        {"name": "Example Bad Time", "slug": "example-bad-time", "day": 1, "time": "7pm"},
        {"name": "Example No Slug", "day": 1, "time": "18:00"},
        dict(good[0], name="Example Repeated"),
        dict(good[0], slug="example-far-away", latitude=123.0),
        {"name": "Example Nowhere", "slug": "example-nowhere", "day": 1, "time": "18:00"},
        dict(good[2], slug="example-bad-zone", timezone="America/Baltimore"),
        dict(good[0], slug="example-bad-type-list", types="O"),
    ]
    return [*good, *bad]


# -- parsing ---------------------------------------------------------------------------------
def test_types_json_names_each_code_in_english_and_spanish() -> None:
    types = meeting_guide.meeting_types()
    assert len(types) > 80 and all({"en", "es"} <= set(names) for names in types.values())
    assert meeting_guide.type_name("O") == "Open"
    assert meeting_guide.type_name("O", "es") == "Abierta"
    assert meeting_guide.type_name("W", "es") == "Mujeres"
    assert meeting_guide.type_name("NOPE") is None
    for code, language in meeting_guide.TYPE_LANGUAGES.items():
        assert code in types, code
        assert types[code]["en"] in {"English", "Spanish", "French", "German", "Italian",
                                     "Polish", "Portuguese", "Russian", "Japanese", "Korean"}
        assert len(language) == 2


def test_schedules_follow_day_time_and_end_time() -> None:
    rows = meeting_guide.schedules({"day": [6, 0], "time": "23:30"})
    assert [(r.byday, r.opens_at, r.closes_at) for r in rows] == [
        ("SU", dt.time(23, 30), dt.time(0, 30)),
        ("SA", dt.time(23, 30), dt.time(0, 30)),
    ]
    assert meeting_guide.schedules({}) == []  # by appointment


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"day": 1}, "time"),
        ({"time": "18:00"}, "day"),
        ({"day": "1", "time": "18:00"}, "day"),
        ({"day": True, "time": "18:00"}, "day"),
        ({"day": [1, 9], "time": "18:00"}, "day"),
        ({"day": 1, "time": "24:00"}, "time"),
        ({"day": 1, "time": "18:00", "end_time": "6:00 pm"}, "end_time"),
    ],
)
def test_bad_day_or_time_is_refused(row: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError) as caught:
        meeting_guide.schedules(row)
    assert getattr(caught.value, "field", None) == field


def test_bad_meetings_are_reported_with_slug_and_reason(tmp_path: Path) -> None:
    items = list(meeting_guide.parse(_write(tmp_path, _bad_feed())))
    errors = {str(e) for e in items if not isinstance(e, meeting_guide.FacilityRecord)}
    records = [r for r in items if isinstance(r, meeting_guide.FacilityRecord)]
    assert len(records) == 3
    expected = [
        "line 4: day: meeting 'example-bad-day': out of range",
        "line 5: time: meeting 'example-bad-time': not a 24-hour HH:MM time: '7pm'",
        "line 6: slug: meeting #6: missing",
        "line 7: slug: meeting 'example-sunday-serenity': slug repeated in this feed",
        "line 8: latitude: meeting 'example-far-away': latitude out of range",
        "line 9: address: meeting 'example-nowhere': no street address",
        "line 10: timezone: meeting 'example-bad-zone': not a tz database time zone",
        "line 11: types: meeting 'example-bad-type-list': not a list of type codes",
    ]
    for start in expected:
        assert any(e.startswith(start) for e in errors), (start, errors)
    assert len(errors) == len(expected)


def test_a_file_that_is_not_a_feed_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text('{"meetings": "no"}')
    (error,) = list(meeting_guide.parse(path))
    assert "no list of meetings" in str(error)


# -- importing -------------------------------------------------------------------------------
def test_a_good_feed_imports_meetings_as_mutual_aid_services(empty_directory_url: str) -> None:
    summary = _import(empty_directory_url, FEED)
    assert (summary.created, summary.errors) == (3, [])
    assert [w.reason for w in summary.warnings] == ["unknown meeting type 'XYZ' left out"]
    with session_scope(empty_directory_url) as s:
        sunday = _service(s, "Example Sunday Serenity")
        assert sunday.scope == "local"
        assert sunday.url == "https://example.org/meetings/example-sunday-serenity"
        assert sunday.last_verified == dt.date(2026, 3, 1)
        org = s.get(Organization, sunday.organization_id)
        assert org is not None and org.name == "Example Serenity Group"
        terms = dict(s.execute(
            select(TaxonomyTerm.code, Attribute.link_type)
            .join(Attribute, Attribute.taxonomy_term_id == TaxonomyTerm.id)
            .where(Attribute.link_id == sunday.id)
        ).all())
        assert terms == {"mutual_aid": "need", "lgbtq": "population", "O": "source_code",
                         "D": "source_code", "LGBTQ": "source_code"}
        location = s.execute(
            select(Location).where(Location.source_record_id == sunday.source_record_id)
        ).scalar_one()
        assert (location.location_type, location.timezone) == ("physical", "America/New_York")
        assert (location.latitude, location.longitude) == (39.2904, -76.6122)
        address = s.execute(select(Address).where(Address.location_id == location.id)).scalar_one()
        assert (address.address_1, address.address_2, address.city, address.state_province,
                address.postal_code) == ("100 Example Street", "Example Community Hall",
                                         "Baltimore", "MD", "21201")
        hours = s.execute(select(Schedule.byday, Schedule.opens_at, Schedule.closes_at)
                          .where(Schedule.service_id == sunday.id)).all()
        assert [tuple(h) for h in hours] == [("SU", dt.time(18, 0), dt.time(19, 30))]

        early = _service(s, "Example Early Birds")
        org = s.get(Organization, early.organization_id)
        assert org is not None and org.name == "Example Area Intergroup"
        days = s.execute(select(Schedule.byday, Schedule.closes_at)
                         .where(Schedule.service_id == early.id).order_by(Schedule.byday)).all()
        assert [tuple(d) for d in days] == [("FR", dt.time(8)), ("MO", dt.time(8)),
                                            ("WE", dt.time(8))]


def test_an_online_meeting_has_a_virtual_location_with_its_time_zone(
    empty_directory_url: str,
) -> None:
    _import(empty_directory_url, FEED)
    with session_scope(empty_directory_url) as s:
        online = _service(s, "Example Women Online")
        assert online.scope == "online"
        assert online.url == "https://example.org/join/example-women-online"
        location = s.execute(
            select(Location).where(Location.source_record_id == online.source_record_id)
        ).scalar_one()
        assert (location.location_type, location.latitude, location.timezone) == (
            "virtual", None, "America/Chicago")
        assert not s.execute(select(Address).where(Address.location_id == location.id)).all()
        phone = s.execute(select(Phone).where(Phone.service_id == online.id)).scalar_one()
        assert phone.number == "410-555-0160"
        assert phone.description == "dial-in to the meeting: Meeting code 123 456"
        assert s.execute(select(Schedule.byday).where(Schedule.service_id == online.id)
                         ).scalars().all() == ["TU"]


def test_reimporting_the_same_feed_changes_nothing(empty_directory_url: str) -> None:
    _import(empty_directory_url, FEED)
    again = _import(empty_directory_url, FEED)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    with session_scope(empty_directory_url) as s:
        for model, n in ((Service, 3), (Location, 3), (Schedule, 5)):
            assert len(s.execute(select(model.id)).all()) == n, model


def test_a_changed_meeting_is_updated_in_place(empty_directory_url: str, tmp_path: Path) -> None:
    _import(empty_directory_url, FEED)
    meetings = _meetings()
    meetings[0] = dict(meetings[0], time="19:00", end_time="20:00", timezone="America/Chicago")
    summary = _import(empty_directory_url, _write(tmp_path, meetings))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    with session_scope(empty_directory_url) as s:
        sunday = _service(s, "Example Sunday Serenity")
        assert s.execute(select(Schedule.opens_at).where(Schedule.service_id == sunday.id)
                         ).scalars().all() == [dt.time(19)]
        assert s.execute(select(Location.timezone).where(
            Location.source_record_id == sunday.source_record_id)).scalar_one() == "America/Chicago"


def test_meetings_never_merge_with_each_other_or_with_facilities(
    directory_url: str, tmp_path: Path
) -> None:
    """A meeting at a clinic's address with the clinic's name stays a separate service."""
    meetings = _meetings()[:1]
    twin = dict(copy.deepcopy(meetings[0]), slug="example-sunday-serenity-2", day=3)
    clinic = dict(copy.deepcopy(meetings[0]), slug="example-at-clinic", name="Example Detox Center")
    summary = _import(directory_url, _write(tmp_path, [*meetings, twin, clinic]))
    assert (summary.created, summary.merged) == (3, 0)


def test_contact_names_emails_and_phones_are_stored_nowhere(empty_directory_url: str) -> None:
    _import(empty_directory_url, FEED)
    with session_scope(empty_directory_url) as s:
        for table in Base.metadata.sorted_tables:
            text_columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not text_columns:
                continue
            for row in s.execute(select(*text_columns)):
                stored = " ".join(str(v) for v in row if v is not None)
                for value in CONTACT_VALUES:
                    assert value not in stored, (table.name, value)


# -- command line ----------------------------------------------------------------------------
def _services(url: str) -> int:
    with session_scope(url) as s:
        return len(s.execute(select(Service.id)).all())


def test_cli_refuses_a_partial_import_unless_accepted(
    empty_directory_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(_write(tmp_path, _bad_feed()))
    args = ["--database", empty_directory_url, "import", "meeting-guide", path, "--quiet"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "--accept-partial" in captured.err and "meeting 'example-bad-day'" in captured.out
    assert _services(empty_directory_url) == 0
    assert main([*args, "--accept-partial"]) == 0
    assert _services(empty_directory_url) == 3


@pytest.fixture
def feed_server() -> Iterator[str]:
    """A local HTTP server serving the fixture folder (tests never reach the internet)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(FEED.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_cli_imports_a_feed_from_a_url(empty_directory_url: str, feed_server: str) -> None:
    url = f"{feed_server}/{FEED.name}"
    assert main(["--database", empty_directory_url, "import", "meeting-guide", url,
                 "--quiet"]) == 0
    assert _services(empty_directory_url) == 3


def test_cli_reports_a_url_that_fails(
    tmp_path: Path, feed_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    assert main(["--database", url, "import", "meeting-guide", f"{feed_server}/none.json"]) == 1
    assert "HTTP 404" in capsys.readouterr().err
    assert main(["--database", url, "import", "geoda-otp", f"{feed_server}/x.csv"]) == 2


def test_fetch_gives_up_on_a_too_large_body(feed_server: str) -> None:
    with pytest.raises(fetch.FetchError, match="larger than"):
        fetch.fetch(f"{feed_server}/{FEED.name}", max_bytes=100)


def test_a_hybrid_meeting_without_coordinates_is_kept_as_online_only(tmp_path: Path) -> None:
    hybrid = dict(_meetings()[0], conference_url="https://example.org/join/x")
    del hybrid["latitude"], hybrid["longitude"]
    (record,) = list(meeting_guide.parse(_write(tmp_path, [hybrid])))
    assert isinstance(record, meeting_guide.FacilityRecord)
    assert (record.scope, record.address_1, record.website) == (
        "online", None, "https://example.org/join/x")
    assert ("latitude", "address without coordinates: listed as online only") in record.warnings
