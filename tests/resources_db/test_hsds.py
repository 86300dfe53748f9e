"""HSDS 3.1 export and import: a round trip loses nothing; bad rows are reported."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from resources_db.db import session_scope, upgrade_database
from resources_db.hsds.conformance import check_export
from resources_db.importers.base import stable_id
from resources_db.importers.hsds import export_hsds, import_hsds
from resources_db.models import Organization, Service, TaxonomyTerm
from resources_db.search import SearchQuery, search
from tests.fixtures.directory import BALTIMORE, FIXTURE_NOW

ORG = "0c4f6a39-0000-4000-8000-000000000001"
SVC = "0c4f6a39-0000-4000-8000-000000000002"
SVC_ORPHAN = "0c4f6a39-0000-4000-8000-000000000003"
SVC_MAYBE = "0c4f6a39-0000-4000-8000-000000000004"
LOC = "0c4f6a39-0000-4000-8000-000000000005"
WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def read_folder(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def everything(url: str) -> dict:
    with session_scope(url) as session:
        return search(
            session,
            SearchQuery(lat=BALTIMORE[0], lon=BALTIMORE[1], radius_miles=200, limit=50),
            now=FIXTURE_NOW,
        )


@pytest.fixture
def copy_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/copy.sqlite3"
    upgrade_database(url)
    return url


def write_package(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in tables.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("as_json", [False, True], ids=["csv", "json"])
def test_round_trip_without_loss(
    directory_url: str, tmp_path: Path, copy_url: str, as_json: bool
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    with session_scope(directory_url) as session:
        counts = export_hsds(session, first, as_json=as_json)
    assert counts["service"] == 20 and counts["schedule"] > 0 and counts["service_capacity"] == 1
    with session_scope(copy_url) as session:
        summary = import_hsds(session, first)
    assert not summary.errors and summary.created > 0
    with session_scope(copy_url) as session:
        export_hsds(session, second, as_json=as_json)
    assert read_folder(first) == read_folder(second)
    # and searching the copy gives the same answer, hours, capacity and all
    assert everything(copy_url) == everything(directory_url)


def test_zip_export_imports_and_twice_changes_nothing(
    directory_url: str, tmp_path: Path, copy_url: str
) -> None:
    archive = tmp_path / "directory.zip"
    with session_scope(directory_url) as session:
        export_hsds(session, archive)
    with session_scope(copy_url) as session:
        first = import_hsds(session, archive)
    with session_scope(copy_url) as session:
        second = import_hsds(session, archive)
    assert first.created > 0 and not first.errors
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)


def test_export_uses_official_names_and_fills_required_values(
    directory_url: str, tmp_path: Path
) -> None:
    with session_scope(directory_url) as session:
        export_hsds(session, tmp_path / "out")
    out = tmp_path / "out"
    assert {"organizations.csv", "services.csv", "taxonomies.csv", "units.csv"} <= {
        p.name for p in out.iterdir()
    }
    organizations = read_csv(out / "organizations.csv")
    assert organizations and all(row["description"] for row in organizations)
    terms = read_csv(out / "taxonomy_terms.csv")
    assert all(row["description"] and row["taxonomy_id"] for row in terms)
    assert len({row["code"] for row in terms}) == len(terms)
    taxonomies = {row["id"] for row in read_csv(out / "taxonomies.csv")}
    assert {row["taxonomy_id"] for row in terms} <= taxonomies
    locations = read_csv(out / "locations.csv")
    assert {row["x_timezone"] for row in locations} == {"America/New_York"}
    package = json.loads((out / "datapackage.json").read_text())
    service = next(r for r in package["resources"] if r["name"] == "service")
    extension = [f["name"] for f in service["schema"]["fields"] if f["name"].startswith("x_")]
    assert "x_scope" in extension and service["path"] == "services.csv"


def test_bad_rows_name_file_line_field_and_nothing_else_is_lost(
    empty_directory_url: str, tmp_path: Path
) -> None:
    folder = write_package(
        tmp_path / "hsds",
        {
            "organizations.csv": f"id,name,description\n{ORG},Example Org,Example\n",
            "services.csv": "id,organization_id,name,status,fees_description,minimum_age\n"
            f"{SVC},{ORG},Example Service,active,Free,18\n"
            f"{SVC_ORPHAN},0c4f6a39-0000-4000-8000-0000000000ff,Example Orphan,active,,\n"
            f"not-a-uuid,{ORG},Example Bad Id,active,,\n"
            f"{SVC_MAYBE},{ORG},Example Maybe,maybe,,\n",
            "locations.csv": f"id,location_type,name,latitude,longitude,colour\n"
            f"{LOC},physical,Example Place,north,-76.6,blue\n",
        },
    )
    with session_scope(empty_directory_url) as session:
        summary = import_hsds(session, folder)
    assert summary.created == 2  # the organization and the first service
    problems = {(e.file, e.line, e.column) for e in summary.errors}  # type: ignore[attr-defined]
    assert problems == {
        ("services.csv", 3, "organization_id"),
        ("services.csv", 4, "id"),
        ("services.csv", 5, "status"),
        ("locations.csv", 2, "latitude"),
    }
    reasons = " ".join(e.reason for e in summary.errors)
    assert "'maybe' is not one of: active, inactive, defunct, temporarily closed" in reasons
    assert "'not-a-uuid' is not a valid uuid" in reasons
    assert any("unknown columns ignored: colour" in note for note in summary.notes)


def test_import_reads_the_paths_of_the_datapackage(
    empty_directory_url: str, tmp_path: Path
) -> None:
    folder = write_package(
        tmp_path / "pkg",
        {
            "orgs-2026.csv": f"id,name,description\n{ORG},Example Org,Example\n",
            "datapackage.json": json.dumps(
                {"resources": [{"name": "organization", "path": "orgs-2026.csv"}]}
            ),
        },
    )
    with session_scope(empty_directory_url) as session:
        summary = import_hsds(session, folder / "datapackage.json")
    assert summary.created == 1 and not summary.errors


def test_folder_without_tables_is_reported(empty_directory_url: str, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with session_scope(empty_directory_url) as session:
        summary = import_hsds(session, tmp_path / "empty")
    assert summary.errors and summary.imported == 0


def test_all_day_hours_shared_codes_and_lone_services_export_as_hsds_and_come_back(
    empty_directory_url: str, tmp_path: Path, copy_url: str
) -> None:
    line = "0c4f6a39-0000-4000-8000-000000000010"
    with session_scope(empty_directory_url) as session:
        session.add(Organization(id=ORG, name="Example Line Org", name_key="example line org"))
        session.add(
            Service(
                id=line,
                organization_id=ORG,
                name="Example Helpline",
                scope="national",
                hours_text="24/7",
            )
        )
        session.add(Service(id=SVC, name="Example Walk-in Center", source="admin"))
        for taxonomy in ("example-a", "example-b"):
            session.add(
                TaxonomyTerm(
                    id=stable_id("term", taxonomy), taxonomy=taxonomy, code="OTP", name="OTP"
                )
            )
    first, second = tmp_path / "first", tmp_path / "second"
    with session_scope(empty_directory_url) as session:
        export_hsds(session, first)
    schedules = read_csv(first / "schedules.csv")
    assert sorted(r["byday"] for r in schedules) == sorted(WEEK)
    assert {r["service_id"] for r in schedules} == {line}
    assert {(r["opens_at"], r["closes_at"]) for r in schedules} == {("00:00:00", "00:00:00")}
    assert check_export(first) == []
    walk_in = next(r for r in read_csv(first / "services.csv") if r["id"] == SVC)
    own = next(r for r in read_csv(first / "organizations.csv") if r["id"] != ORG)
    assert walk_in["organization_id"] == own["id"] and own["name"] == "Example Walk-in Center"
    codes = sorted(r["code"] for r in read_csv(first / "taxonomy_terms.csv"))
    assert codes == ["example-a:OTP", "example-b:OTP"]
    with session_scope(copy_url) as session:
        assert not import_hsds(session, first).errors
    with session_scope(copy_url) as session:
        assert set(session.scalars(select(TaxonomyTerm.code))) == {"OTP"}
        export_hsds(session, second)
    assert read_folder(first) == read_folder(second)
