"""Local recovery supports from the admins' CSV (`import local-csv`): the template's columns,
per-row validation with line and column, idempotent re-import, and what the card shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from resources_db.cli import main
from resources_db.db import session_scope
from resources_db.importers import local_csv
from resources_db.importers.registry import run_import
from resources_db.models import Attribute, RecordSource, ServiceArea, TaxonomyTerm
from resources_db.search import SearchQuery, search

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "docs" / "templates" / "local-supports.csv"
COLUMNS = local_csv.COLUMNS.expected
TODAY = dt.date(2026, 12, 1)
GOOD: dict[str, str] = {
    "record_id": "rcc-1",
    "name": "Example Recovery Community Center",
    "organization": "Example Recovery Network",
    "needs": "recovery_community; peer_support",
    "address_1": "100 Example Street",
    "city": "Baltimore",
    "state": "MD",
    "postal_code": "21201",
    "phone": "(410) 555-0142",
    "website": "https://example.org",
    "hours": "Mon-Fri 9:00-17:00; Sat 10:00-14:00",
    "languages": "en, es",
    "populations": "adults",
    "eligibility": "Anyone in recovery and their families",
    "minimum_age": "18",
    "peer_run": "yes",
    "cost": "free",
    "payment": "free",
    "how_to_get_help": "Walk in",
    "last_verified": "2026-11-20",
}
MOBILE: dict[str, str] = {
    "record_id": "ssp-1",
    "name": "Example Mobile Syringe Services",
    "needs": "harm_reduction",
    "city": "Baltimore",
    "state": "MD",
    "postal_code": "21201",
    "service_area": "Example County",
    "phone": "410-555-0143",
    "peer_run": "no",
}


def write_csv(path: Path, *rows: dict[str, str]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _import(url: str, path: Path) -> Any:
    with session_scope(url) as session:
        return run_import(session, "local-csv", path)


def _cards(url: str, need: str) -> list[dict[str, Any]]:
    with session_scope(url) as session:
        found = search(
            session,
            SearchQuery(needs=[need], near="21201"),
            now=dt.datetime(2026, 12, 2, 15, tzinfo=dt.UTC),
        )
    return [card for card in found["resources"] if card["source"] == "local"]


def test_template_header_is_the_importers_and_its_example_row_is_skipped(
    empty_directory_url: str, tmp_path: Path
) -> None:
    header = next(csv.reader(io.StringIO(TEMPLATE.read_text(encoding="utf-8"))))
    assert tuple(header) == COLUMNS
    summary = _import(empty_directory_url, TEMPLATE)
    assert (summary.created, summary.errors) == (0, [])
    assert [(w.line, w.field) for w in summary.warnings] == [(2, "record_id")]
    # the example itself is a valid row once its "#" is taken away
    example = tmp_path / "example.csv"
    example.write_text(TEMPLATE.read_text(encoding="utf-8").replace("#example-1", "example-1"))
    assert _import(empty_directory_url, example).created == 1


def test_a_row_becomes_a_searchable_card_with_peer_run_and_cost(
    empty_directory_url: str, tmp_path: Path
) -> None:
    summary = _import(empty_directory_url, write_csv(tmp_path / "a.csv", GOOD))
    assert (summary.created, summary.errors) == (1, [])
    [card] = _cards(empty_directory_url, "recovery_community")
    assert card["name"] == "Example Recovery Community Center"
    assert card["phone"] == "410-555-0142"
    assert card["website"] == "https://example.org"
    assert card["peer_run"] is True and card["cost"] == "free"
    assert card["insurance"] == ["free"] and card["populations"] == ["adults"]
    assert card["hours"] is not None and "Sat" in card["hours"]
    assert card["last_verified"] == "2026-11-20"
    with session_scope(empty_directory_url) as session:
        terms = session.execute(
            select(TaxonomyTerm.taxonomy, TaxonomyTerm.code).join(
                Attribute, Attribute.taxonomy_term_id == TaxonomyTerm.id
            )
        ).all()
        assert ("recovery-navigator", "peer_run") in terms


def test_no_street_address_means_an_area_served(empty_directory_url: str, tmp_path: Path) -> None:
    summary = _import(empty_directory_url, write_csv(tmp_path / "m.csv", MOBILE))
    assert (summary.created, summary.errors) == (1, [])
    [card] = _cards(empty_directory_url, "harm_reduction")
    assert card["address"] is None and (card["city"], card["zip"]) == ("Baltimore", "21201")
    assert card["peer_run"] is False and card["cost"] is None
    with session_scope(empty_directory_url) as session:
        assert session.scalar(select(ServiceArea.name)) == "Example County"


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"needs": "recovery"}, "needs"),
        ({"needs": ""}, "needs"),
        ({"state": "Maryland"}, "state"),
        ({"postal_code": "2120"}, "postal_code"),
        ({"phone": "555-0142"}, "phone"),
        ({"website": "not a web address"}, "website"),
        ({"hours": "weekdays 9-5"}, "hours"),
        ({"hours": "Mon-Fri 9:00-25:00"}, "hours"),
        ({"populations": "everyone"}, "populations"),
        ({"payment": "cash"}, "payment"),
        ({"peer_run": "sometimes"}, "peer_run"),
        ({"minimum_age": "eighteen"}, "minimum_age"),
        ({"address_1": ""}, "address_1"),
        ({"last_verified": "11/20/2026"}, "last_verified"),
        ({"record_id": ""}, "record_id"),
    ],
)
def test_a_bad_row_is_reported_with_line_and_column_and_the_rest_import(
    empty_directory_url: str, tmp_path: Path, change: dict[str, str], column: str
) -> None:
    bad = {**GOOD, "record_id": "bad-1", "name": "Example Bad Row", **change}
    summary = _import(empty_directory_url, write_csv(tmp_path / "b.csv", bad, MOBILE))
    assert summary.created == 1
    assert [(e.line, e.field) for e in summary.errors] == [(2, column)]
    assert summary.errors[0].reason


def test_every_bad_column_of_a_row_is_listed(empty_directory_url: str, tmp_path: Path) -> None:
    bad = {**GOOD, "state": "ZZ", "phone": "12", "hours": "Someday 9-5"}
    summary = _import(empty_directory_url, write_csv(tmp_path / "b.csv", bad))
    [error] = summary.errors  # one error per row: the counts are of rows
    assert set(error.field.split(", ")) == {"state", "phone", "hours"}
    assert "phone: Enter a 10-digit US phone number" in error.reason


def test_reimport_is_idempotent_and_a_changed_row_updates_its_service(
    empty_directory_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "a.csv", GOOD, MOBILE)
    assert _import(empty_directory_url, path).created == 2
    again = _import(empty_directory_url, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = write_csv(
        tmp_path / "a.csv", {**GOOD, "phone": "410-555-0144", "peer_run": "no"}, MOBILE
    )
    summary = _import(empty_directory_url, changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    [card] = _cards(empty_directory_url, "recovery_community")
    assert card["phone"] == "410-555-0144" and card["peer_run"] is False
    with session_scope(empty_directory_url) as session:
        assert session.scalar(select(func.count()).select_from(RecordSource)) == 2


def test_a_record_id_used_twice_in_one_file_is_an_error(
    empty_directory_url: str, tmp_path: Path
) -> None:
    summary = _import(
        empty_directory_url, write_csv(tmp_path / "d.csv", GOOD, {**MOBILE, "record_id": "rcc-1"})
    )
    assert summary.created == 1
    assert [(e.line, e.field) for e in summary.errors] == [(3, "record_id")]


def test_a_file_in_another_format_is_refused_by_its_header(
    empty_directory_url: str, tmp_path: Path
) -> None:
    other = tmp_path / "other.csv"
    other.write_text(
        "name1,street1,city,state,zip,latitude,longitude\n"
        "Example,1 Example St,Baltimore,MD,21201,39.29,-76.61\n"
    )
    summary = _import(empty_directory_url, other)
    assert summary.imported == 0
    assert [(e.line, e.field) for e in summary.errors] == [(1, "header")]


def test_cli_keeps_nothing_with_a_bad_row_unless_accept_partial(
    empty_directory_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "c.csv", GOOD, {**MOBILE, "postal_code": "ABCDE"})
    args = ["--database", empty_directory_url, "import", "local-csv", str(path), "--quiet"]
    assert main(args) == 1
    assert "line 3: postal_code" in capsys.readouterr().out
    assert _cards(empty_directory_url, "recovery_community") == []
    assert main([*args, "--accept-partial"]) == 0
    assert len(_cards(empty_directory_url, "recovery_community")) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mon-Fri 9:00-17:00; Sat 10:00-14:00",
            {"MO": "9:00-17:00", "FR": "9:00-17:00", "SA": "10:00-14:00", "SU": ""},
        ),
        ("Fri-Mon 20:00-02:00", {"FR": "20:00-02:00", "SU": "20:00-02:00", "TU": ""}),
        ("Tue & Thu 9am-12pm, 1pm-5pm", {"TU": "9am-12pm, 1pm-5pm", "WE": ""}),
        ("Sunday 24 hours", {"SU": "24 hours"}),
        ("", {"MO": ""}),
    ],
)
def test_weekly_hours(text: str, expected: dict[str, str]) -> None:
    week = local_csv.parse_hours(text)
    assert {day: week[day] for day in expected} == expected


@pytest.mark.parametrize("text", ["Mon 9-5pm-6pm", "Funday 9:00-17:00", "9:00-17:00"])
def test_weekly_hours_that_cannot_be_read(text: str) -> None:
    with pytest.raises(ValueError):
        local_csv.parse_hours(text)


def test_the_example_in_the_admin_guide_imports(empty_directory_url: str, tmp_path: Path) -> None:
    guide = (REPO / "docs" / "admin.md").read_text(encoding="utf-8")
    block = guide.split("Example (fictional):\n```\n", 1)[1].split("```", 1)[0]
    summary = _import(empty_directory_url, write_raw(tmp_path / "guide.csv", block))
    assert (summary.created, summary.errors) == (2, [])
    [ride] = _cards(empty_directory_url, "transportation")
    assert ride["address"] is None and ride["cost"] == "free for rides to treatment"


def write_raw(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
