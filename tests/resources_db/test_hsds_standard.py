"""HSDS 3.1 conformance: the export validates against the official package (frictionless and
the official JSON Schemas); the official example imports its valid rows and reports the rest;
imported services, with their schedules, are searchable."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from resources_db.cli import main
from resources_db.db import session_scope
from resources_db.hsds.conformance import check_export
from resources_db.importers.hsds import export_hsds, import_hsds
from resources_db.models import Organization, Schedule, Service
from resources_db.search import SearchQuery, search
from tests.fixtures.directory import BALTIMORE, FIXTURE_NOW

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "hsds-3.1-example"
EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"
ORG = "5e0a1c2b-0000-4000-8000-000000000001"
SVC = "5e0a1c2b-0000-4000-8000-000000000002"
LOC = "5e0a1c2b-0000-4000-8000-000000000003"
SAL = "5e0a1c2b-0000-4000-8000-000000000004"
ADDR = "5e0a1c2b-0000-4000-8000-000000000005"
SCHED = "5e0a1c2b-0000-4000-8000-000000000006"
PHONE = "5e0a1c2b-0000-4000-8000-000000000007"


def test_export_conforms_to_the_official_package(directory_url: str, tmp_path: Path) -> None:
    with session_scope(directory_url) as session:
        export_hsds(session, tmp_path / "out")
    assert check_export(tmp_path / "out") == []


def test_conformance_check_catches_a_broken_export(directory_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with session_scope(directory_url) as session:
        export_hsds(session, out)
    services = out / "services.csv"
    lines = services.read_text().splitlines()
    lines[1] = lines[1].replace(",active,", ",maybe,", 1)
    services.write_text("\n".join(lines) + "\n")
    errors = check_export(out)
    assert errors and any("constraint-error" in e for e in errors)


def test_official_example_imports_its_valid_rows_and_reports_dangling_references(
    empty_directory_url: str,
) -> None:
    with session_scope(empty_directory_url) as session:
        summary = import_hsds(session, EXAMPLE)
        service = session.get(Service, EXAMPLE_SERVICE)
        assert service is not None and service.minimum_age == 12 and service.maximum_age == 100
        assert service.fees_description and service.fees_description.startswith("Non-NHS")
        assert service.eligibility_description and service.application_process
        assert session.scalars(select(Organization.name)).all() == ["Example Organization Inc."]
    assert summary.created == 2
    rejected = {(e.file, e.line, e.column) for e in summary.errors}  # type: ignore[attr-defined]
    assert ("locations.csv", 2, "organization_id") in rejected
    assert ("service_capacity.csv", 2, "service_id, unit_id") in rejected
    reasons = {str(e) for e in summary.errors}
    assert (
        "line 2: locations.csv: organization_id: '985e4a42-bd9f-4edc-911d-0243a4640aca' "
        "is not the id of an imported organization"
    ) in reasons
    notes = summary.notes  # type: ignore[attr-defined]
    assert "programs.csv: 1 row, valid; the directory has no program table" in notes
    assert any(
        n.startswith("services.csv: values the directory does not keep: program_id") for n in notes
    )


def test_cli_keeps_nothing_of_a_partial_import_unless_asked(
    empty_directory_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--database", empty_directory_url, "import", "hsds", str(EXAMPLE)]
    assert main(args) == 1
    with session_scope(empty_directory_url) as session:
        assert session.get(Service, EXAMPLE_SERVICE) is None
    assert "line 2: locations.csv: organization_id" in capsys.readouterr().out
    assert main([*args, "--accept-partial"]) == 0
    with session_scope(empty_directory_url) as session:
        assert session.get(Service, EXAMPLE_SERVICE) is not None


def _example_clinic(folder: Path) -> Path:
    """A fictional HSDS 3.1 package: one clinic in Baltimore, open Monday to Wednesday."""
    shutil.copytree(EXAMPLE, folder)
    for name in folder.glob("*.csv"):
        name.write_text(name.read_text().splitlines()[0] + "\n")
    tables = {
        "organizations.csv": [f"{ORG},Example Recovery Org,,An example organization"],
        "services.csv": [f"{SVC},{ORG},,Example Recovery Clinic,,,,,active,,,Sliding scale"],
        "locations.csv": [f"{LOC},physical,,{ORG},Example Clinic Site,,,,{BALTIMORE[0]},"
                          f"{BALTIMORE[1]},,"],
        "service_at_location.csv": [f"{SAL},{SVC},{LOC},"],
        "addresses.csv": [f"{ADDR},{LOC},,1 Example St,,Baltimore,,MD,21201,US,physical"],
        "phones.csv": [f"{PHONE},,{SVC},,,,410-555-0199,,voice,"],
        "schedules.csv": [f'{SCHED},,,{SAL},2026-01-01,,,,,,,WEEKLY,1,"MO,TU,WE",,,,'
                          ",09:00:00,17:00:00,,in person,"],
    }  # fmt: skip
    for name, rows in tables.items():
        with (folder / name).open("a") as handle:
            handle.write("\n".join(rows) + "\n")
    return folder


def test_imported_service_is_searchable_with_its_schedule_as_hours(
    empty_directory_url: str, tmp_path: Path
) -> None:
    package = _example_clinic(tmp_path / "clinic")
    with session_scope(empty_directory_url) as session:
        summary = import_hsds(session, package)
    assert not summary.errors
    with session_scope(empty_directory_url) as session:
        rows = session.scalars(select(Schedule).order_by(Schedule.byday)).all()
        assert [r.byday for r in rows] == ["MO", "TU", "WE"]
        assert {(r.service_id, r.valid_from, r.interval) for r in rows} == {
            (SVC, dt.date(2026, 1, 1), 1)
        }
        found = search(
            session,
            SearchQuery(lat=BALTIMORE[0], lon=BALTIMORE[1], radius_miles=5),
            now=FIXTURE_NOW,  # a Wednesday, 14:00 in Baltimore
        )
    cards = found["resources"]
    assert [c["name"] for c in cards] == ["Example Recovery Clinic"]
    assert cards[0]["open_now"] is True and cards[0]["phone"] == "410-555-0199"


def test_zip_with_a_folder_and_a_later_schedule_for_a_known_place(
    empty_directory_url: str, tmp_path: Path
) -> None:
    package = _example_clinic(tmp_path / "clinic")
    (package / "datapackage.json").unlink()
    archive = shutil.make_archive(str(tmp_path / "clinic"), "zip", tmp_path, "clinic")
    with session_scope(empty_directory_url) as session:
        assert not import_hsds(session, Path(archive)).errors
    later = tmp_path / "later"
    later.mkdir()
    saturday = "5e0a1c2b-0000-4000-8000-000000000008"
    (later / "schedules.csv").write_text(
        "id,service_at_location_id,freq,byday,opens_at,closes_at\n"
        f"{saturday},{SAL},WEEKLY,SA,10:00:00,12:00:00\n"
    )
    with session_scope(empty_directory_url) as session:
        summary = import_hsds(session, later)
        assert not summary.errors and summary.created == 1
        row = session.get(Schedule, saturday)
        assert row is not None and row.service_id == SVC
