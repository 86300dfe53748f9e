"""HSDS 3 export and import: a round trip loses nothing; bad rows are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resources_db.db import session_scope, upgrade_database
from resources_db.importers.hsds import export_hsds, import_hsds
from resources_db.search import SearchQuery, search
from tests.fixtures.directory import BALTIMORE, FIXTURE_NOW


def read_folder(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def everything(url: str) -> dict:
    with session_scope(url) as session:
        return search(
            session,
            SearchQuery(lat=BALTIMORE[0], lon=BALTIMORE[1], radius_miles=200, limit=50),
            now=FIXTURE_NOW,
        )


@pytest.mark.parametrize("as_json", [False, True], ids=["csv", "json"])
def test_round_trip_without_loss(directory_url: str, tmp_path: Path, as_json: bool) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    with session_scope(directory_url) as session:
        counts = export_hsds(session, first, as_json=as_json)
    assert counts["service"] == 20 and counts["schedule"] > 0 and counts["service_capacity"] == 1
    target = f"sqlite:///{tmp_path}/copy.sqlite3"
    upgrade_database(target)
    with session_scope(target) as session:
        summary = import_hsds(session, first)
    assert not summary.errors and summary.created > 0
    with session_scope(target) as session:
        export_hsds(session, second, as_json=as_json)
    assert read_folder(first) == read_folder(second)
    # and searching the copy gives the same answer, hours, capacity and all
    assert everything(target) == everything(directory_url)


def test_zip_export_imports_and_twice_changes_nothing(directory_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "directory.zip"
    with session_scope(directory_url) as session:
        export_hsds(session, archive)
    target = f"sqlite:///{tmp_path}/copy.sqlite3"
    upgrade_database(target)
    with session_scope(target) as session:
        first = import_hsds(session, archive)
    with session_scope(target) as session:
        second = import_hsds(session, archive)
    assert first.created > 0
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)


def test_bad_rows_name_file_line_and_field(empty_directory_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "hsds"
    folder.mkdir()
    (folder / "organization.csv").write_text("id,name\norg-1,Example Org\n")
    (folder / "service.csv").write_text(
        "id,organization_id,name,status\n"
        "svc-1,org-1,Example Service,active\n"
        "svc-2,org-missing,Example Orphan,active\n"
        "svc-3,org-1,,active\n"
    )
    (folder / "location.csv").write_text(
        "id,name,latitude,longitude\nloc-1,Example Place,north,-76.6\n"
    )
    with session_scope(empty_directory_url) as session:
        summary = import_hsds(session, folder)
    assert summary.created == 2  # the organization and svc-1
    problems = {(e.line, e.field) for e in summary.errors}
    assert (3, "service") in problems  # unknown organization
    assert (4, "service.name") in problems
    assert (2, "location.latitude") in problems


def test_folder_without_tables_is_reported(empty_directory_url: str, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with session_scope(empty_directory_url) as session:
        summary = import_hsds(session, tmp_path / "empty")
    assert summary.errors and summary.imported == 0


def test_datapackage_lists_every_table(directory_url: str, tmp_path: Path) -> None:
    with session_scope(directory_url) as session:
        export_hsds(session, tmp_path / "out")
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    names = {r["name"] for r in package["resources"]}
    assert {
        "organization",
        "service",
        "location",
        "service_at_location",
        "address",
        "phone",
        "schedule",
        "language",
        "service_capacity",
        "unit",
        "taxonomy_term",
        "attribute",
    } <= names
