"""Importers: bad rows are reported by line and field, good rows still import, imports are
idempotent, and the same facility from several sources becomes one location."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from resources_db.db import session_scope
from resources_db.importers import findtreatment, national_lines
from resources_db.importers.base import ImportSummary, RowError
from resources_db.importers.registry import run_import
from resources_db.models import Location, Phone, RecordSource, SearchEntry, Service, TaxonomyTerm
from resources_db.search import SearchQuery, search
from tests.fixtures.directory import FIXTURE_NOW

SUD_HEADER = "name1,name2,street1,street2,city,state,zip,zip4,county,latitude,longitude\n"
MH_HEADER = (
    '"","name1","name2","street1","street2","city","state","zip","zip4","county","phone",'
    '"intake_prompt","intake1","intake2","website","latitude","longitude","type_facility"\n'
)
OTP_HEADER = "ID,ADDRESS,CITY,STATE,POSTAL,Latitude,Longitude\n"
DIRECTORY_HEADER = (
    "Name1,Name2,Name3,Address1,Address2,Address3,City,State,ZIP_Code,Contact,Note,Keys,ID,"
    "Longitude,Latitude,Match Score\n"
)


@dataclass(frozen=True)
class Importer:
    """Test files written into a temporary folder and imported into the empty directory."""

    url: str
    folder: Path

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, format_name: str, path: Path) -> ImportSummary:
        """Imports `path` as `format_name`, in a session (and transaction) of its own."""
        with session_scope(self.url) as session:
            return run_import(session, format_name, path)

    def session(self) -> AbstractContextManager[Session]:
        return session_scope(self.url)


@pytest.fixture
def importer(empty_directory_url: str, tmp_path: Path) -> Importer:
    return Importer(empty_directory_url, tmp_path)


def count(session: Session, model: type) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar() or 0)


def categories_at(session: Session, lat: float, lon: float) -> list[dict]:
    result = search(
        session, SearchQuery(lat=lat, lon=lon, radius_miles=1, limit=50), now=FIXTURE_NOW
    )
    return result["resources"]


def test_bad_rows_are_reported_and_good_rows_import(importer: Importer) -> None:
    path = importer.write(
        "sud.csv",
        SUD_HEADER
        + "Example Good Place,,1 Example Street,,Baltimore,MD,21201,,Baltimore City,39.29,-76.61\n"
        + ",,2 Example Street,,Baltimore,MD,21201,,Baltimore City,39.29,-76.61\n"
        + "Example Bad Latitude,,3 Example Street,,Baltimore,MD,21201,,,north,-76.61\n"
        + "Example Bad State,,4 Example Street,,Baltimore,XX,21201,,,39.3,-76.6\n"
        + "Example Far Away,,5 Example Street,,Baltimore,MD,21201,,,95,-76.6\n"
        + "Example Second Good,,6 Example Street,,Towson,MD,21204,,,39.40,-76.60\n",
    )
    summary = importer.run("geoda-sud", path)
    assert summary.created == 2
    assert [(e.line, e.field) for e in summary.errors] == [
        (3, "name1"),
        (4, "latitude"),
        (5, "state"),
        (6, "latitude"),
    ]
    assert "north" in summary.errors[1].reason
    with importer.session() as session:
        assert count(session, Service) == 2


def test_importing_the_same_file_twice_changes_nothing(importer: Importer) -> None:
    path = importer.write(
        "mh.csv",
        MH_HEADER + '"1","Example Counseling","","10 Example Road","","Baltimore","MD",21201,NA,'
        '"Baltimore City",'
        '"410-555-0150","","410-555-0151","","http://example.org",39.30,-76.62,"MH"\n'
        + '"2","Example Clinic","Annex","12 Example Road","","Towson","MD",21204,NA,"Baltimore",'
        '"410-555-0152 x12","","","","",39.40,-76.60,"MH"\n',
    )
    first = importer.run("geoda-mh", path)
    with importer.session() as session:
        before = {
            m.__name__: count(session, m)
            for m in (Service, Location, Phone, SearchEntry, TaxonomyTerm)
        }
        second = run_import(session, "geoda-mh", path)
        after = {
            m.__name__: count(session, m)
            for m in (Service, Location, Phone, SearchEntry, TaxonomyTerm)
        }
    assert (first.created, first.unchanged) == (2, 0)
    assert (second.created, second.updated, second.merged, second.unchanged) == (0, 0, 0, 2)
    assert before == after
    with importer.session() as session:
        cards = categories_at(session, 39.30, -76.62)
    assert cards[0]["phone"] == "410-555-0150"
    assert cards[0]["categories"] == ["mental_health"]
    assert cards[0]["website"] == "http://example.org"
    assert cards[0]["source"] == "samhsa-locator-mh" and cards[0]["last_verified"] == "2021-01-01"


def test_changed_row_updates_in_place(importer: Importer) -> None:
    row = '"1","Example Counseling","","10 Example Road","","Baltimore","MD",21201,NA,"",'
    first = importer.write(
        "a.csv", MH_HEADER + row + '"410-555-0150","","","","",39.30,-76.62,"MH"\n'
    )
    second = importer.write(
        "b.csv", MH_HEADER + row + '"410-555-0160","","","","",39.30,-76.62,"MH"\n'
    )
    importer.run("geoda-mh", first)
    summary = importer.run("geoda-mh", second)
    assert summary.updated == 1
    with importer.session() as session:
        assert count(session, Service) == 1
        assert count(session, Phone) == 1
        assert categories_at(session, 39.30, -76.62)[0]["phone"] == "410-555-0160"


def test_same_facility_from_three_sources_becomes_one_location(importer: Importer) -> None:
    sud = importer.write(
        "sud.csv",
        SUD_HEADER
        + "Example Harbor Clinic,,500 Example Street,,Baltimore,MD,21201,,,39.3001,-76.6101\n",
    )
    # same place spelt differently ("St." / "Inc") a few metres away
    otp = importer.write(
        "otp.csv",
        OTP_HEADER
        + '"Example Harbor Clinic, Inc",500 Example St.,Baltimore,MD,21201,39.30012,-76.61012\n',
    )
    directory = importer.write(
        "dir.csv",
        DIRECTORY_HEADER + "Example Harbor Clinic,,,500 Example Street,,,Baltimore,MD,21201,"
        "(410)555-0170 Intake: (410)555-0171,,"
        "SA/DT/METH/OTP/MD/SS/ADLT/F4/ZZ9/,1111MD21201,-76.6102,39.3002,100.0\n"
        # a different facility 30 m away with a different name stays separate
         + "Example Other Program,,,502 Example Street,,,Baltimore,MD,21201,(410)555-0172,,"
        "OP/,2222MD21201,-76.6104,39.3003,100.0\n",
    )
    with importer.session() as session:
        assert run_import(session, "geoda-sud", sud).created == 1
        assert run_import(session, "geoda-otp", otp).merged == 1
        summary = run_import(session, "samhsa-directory", directory)
        assert (summary.merged, summary.created) == (1, 1)
    with importer.session() as session:
        assert count(session, Location) == 2
        assert count(session, RecordSource) == 4
        cards = {c["name"]: c for c in categories_at(session, 39.3001, -76.6101)}
        codes = set(
            session.execute(
                select(TaxonomyTerm.code).where(
                    TaxonomyTerm.taxonomy == "samhsa-national-directory-2017"
                )
            ).scalars()
        )
    clinic = cards["Example Harbor Clinic"]
    assert clinic["categories"] == ["detox", "moud"]
    assert clinic["insurance"] == ["medicaid", "sliding_fee"]
    assert clinic["populations"] == ["adults"]
    assert clinic["languages"] == ["ar"]
    assert clinic["phone"] == "410-555-0170"  # the main line, not the intake line
    assert clinic["source"] == "samhsa-locator-sud"  # most recently verified (2021)
    assert cards["Example Other Program"]["categories"] == ["outpatient"]
    # an unmapped code is kept, never guessed
    assert "ZZ9" in codes


def test_contact_text_gives_only_the_numbers_really_there() -> None:
    from resources_db.importers.samhsa_directory import contact_phones

    phones = contact_phones("(410)555-0180x12 Intakes: (410)555-0181 (410)555-0182")
    assert [(p.number, p.extension, p.description) for p in phones] == [
        ("410-555-0180", "12", None),
        ("410-555-0181", None, "intake"),
        ("410-555-0182", None, "intake"),
    ]
    assert contact_phones("call the front desk") == []


def test_findtreatment_services_map_to_vocabulary(importer: Importer) -> None:
    rows = [
        {
            "frid": "example-1",
            "name1": "Example Valley Services",
            "name2": "",
            "street1": "9 Example Way",
            "street2": "",
            "city": "Charlottesville",
            "state": "VA",
            "zip": "22902",
            "phone": "434-555-0190",
            "intake1": "434-555-0191",
            "hotline1": None,
            "website": "http://example.org",
            "typeFacility": "SA",
            "latitude": "38.03",
            "longitude": "-78.47",
            "services": [
                {"f1": "Type of Care", "f2": "TC", "f3": "Detoxification; Substance use treatment"},
                {
                    "f1": "Service Settings",
                    "f2": "SET",
                    "f3": "Outpatient; Residential detoxification",
                },
                {
                    "f1": "Type of Opioid Treatment",
                    "f2": "OT",
                    "f3": "Buprenorphine maintenance; Accepts clients on opioid medication",
                },
                {
                    "f1": "Payment",
                    "f2": "PAY",
                    "f3": "Medicaid; Cash or self-payment; Other State funds",
                },
                {
                    "f1": "Payment Assistance",
                    "f2": "PYAS",
                    "f3": "Sliding fee scale (fee is based on income and other factors)",
                },
                {"f1": "Special Programs", "f2": "SG", "f3": "Veterans; Adult women"},
                {
                    "f1": "Language Services",
                    "f2": "SL",
                    "f3": "Services for the deaf and hard of hearing",
                },
                {"f1": "Other Languages", "f2": "OL", "f3": "Spanish; Hmong"},
            ],
        },
        {"frid": "example-2", "name1": "", "state": "VA"},
        {
            "frid": "example-3",
            "name1": "Example Bad Zip",
            "street1": "1 Example Way",
            "city": "X",
            "state": "VA",
            "zip": "2290A",
            "latitude": "38",
            "longitude": "-78",
        },
    ]
    path = importer.write("ft.json", json.dumps({"rows": rows}))
    summary = importer.run("findtreatment", path)
    assert summary.created == 1
    assert [(e.line, e.field) for e in summary.errors] == [(2, "name1"), (3, "zip")]
    with importer.session() as session:
        card = categories_at(session, 38.03, -78.47)[0]
    assert card["categories"] == ["detox", "moud", "outpatient"]
    assert card["insurance"] == ["medicaid", "self_pay", "sliding_fee"]
    assert card["populations"] == ["veterans", "deaf_hard_of_hearing", "women"]
    assert card["languages"] == ["es"]
    assert card["phone"] == "434-555-0190"


def test_national_lines_import_as_location_less_services(importer: Importer) -> None:
    from resources_db.importers.national_lines import DEFAULT_PATH

    with importer.session() as session:
        summary = run_import(session, "national", DEFAULT_PATH)
        again = run_import(session, "national", DEFAULT_PATH)
    data = json.loads(DEFAULT_PATH.read_text())["resources"]
    assert summary.created == len(data) and not summary.errors
    assert again.unchanged == len(data)
    with importer.session() as session:
        assert count(session, Location) == 0
        national = session.execute(
            select(func.count()).select_from(SearchEntry).where(SearchEntry.national.is_(True))
        ).scalar()
    assert national == len(data)


def test_unreadable_json_is_a_row_error_not_a_crash(importer: Importer) -> None:
    path = importer.write("broken.json", '{"rows": [')
    summary = importer.run("findtreatment", path)
    assert summary.imported == 0 and summary.errors[0].field == "file"


def test_a_zip_code_that_lost_its_leading_zero_is_restored(importer: Importer) -> None:
    path = importer.write(
        "mh.csv",
        MH_HEADER + '"1","Example CT Center","","1 Example Avenue","","Waterbury","CT",6708,2460,'
        '"New Haven","","","","","",41.56,-73.06,"MH"\n',
    )
    with importer.session() as session:
        run_import(session, "geoda-mh", path)
        assert categories_at(session, 41.56, -73.06)[0]["zip"] == "06708"


def test_a_garbled_website_is_left_out_but_the_facility_stays(importer: Importer) -> None:
    path = importer.write(
        "mh.csv",
        MH_HEADER + '"1","Example Care","","1 Example Avenue","","Baltimore","MD",21201,,"",'
        '"410-555-0195","","","","http://www://example",39.31,-76.61,"MH"\n',
    )
    summary = importer.run("geoda-mh", path)
    assert summary.created == 1 and not summary.errors
    assert [(w.line, w.field) for w in summary.warnings] == [(2, "website")]
    assert "1 warnings" in summary.text()
    with importer.session() as session:
        card = categories_at(session, 39.31, -76.61)[0]
    assert card["website"] is None and card["phone"] == "410-555-0195"


def test_a_broken_json_file_is_reported_not_raised(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"rows": [\n{"name1": "Example"')
    [error] = list(findtreatment.parse(broken))
    assert isinstance(error, RowError) and "not valid JSON" in error.reason
    wrong_shape = tmp_path / "shape.json"
    wrong_shape.write_text(json.dumps({"rows": "none"}))
    [error] = list(national_lines.parse(wrong_shape))
    assert isinstance(error, RowError) and error.field == "resources"


def test_a_file_that_is_not_text_is_one_clear_error_for_every_csv_format(
    importer: Importer
) -> None:
    """Bytes undefined in both UTF-8 and Windows-1252 (an upload of the wrong file)."""
    path = importer.folder / "not-text.csv"
    path.write_bytes(b"name1,city\n\x81\x8d\x90 binary \x00\xff\n")
    for format_name in ("geoda-sud", "geoda-mh", "geoda-otp", "samhsa-directory"):
        summary = importer.run(format_name, path)
        assert summary.imported == 0, format_name
        [error] = summary.errors
        assert error.field == "file" and "not a text file" in error.reason, format_name


# -- checks before rows (issue 21) -------------------------------------------------------

GOOD_SUD_ROW = "Example Recovery Center,,1 Example Street,,Baltimore,MD,21201,,,39.29,-76.61\n"


def _only_error(summary: object) -> RowError:
    errors = summary.errors  # type: ignore[attr-defined]
    assert len(errors) == 1, errors
    return errors[0]


def test_a_wrong_header_row_is_one_clear_error_not_an_error_per_row(importer: Importer) -> None:
    path = importer.write(
        "wrong.csv",
        "facility,street,town,state,zip,lat,lon\n"
        "Example Recovery Center,1 Example Street,Baltimore,MD,21201,39.29,-76.61\n"
        "Example Second Center,2 Example Street,Baltimore,MD,21201,39.29,-76.61\n",
    )
    summary = importer.run("geoda-sud", path)
    error = _only_error(summary)
    assert summary.imported == 0
    assert (error.line, error.field) == (1, "header")
    assert "missing" in error.reason and "name1" in error.reason and "latitude" in error.reason
    assert "unexpected" in error.reason and "facility" in error.reason
    assert "wrong file" in error.reason


def test_a_file_of_another_format_names_that_format(importer: Importer) -> None:
    path = importer.write(
        "otp.csv",
        "ID,ADDRESS,CITY,STATE,POSTAL,Latitude,Longitude\n"
        "Example Opioid Treatment Program,1 Example Street,Baltimore,MD,21201,39.29,-76.61\n",
    )
    summary = importer.run("geoda-sud", path)
    error = _only_error(summary)
    assert error.field == "header" and "geoda-otp" in error.reason


def test_a_semicolon_delimited_file_is_read_with_its_own_delimiter(importer: Importer) -> None:
    path = importer.write(
        "semi.csv",
        SUD_HEADER.replace(",", ";") + GOOD_SUD_ROW.replace(",", ";"),
    )
    summary = importer.run("geoda-sud", path)
    assert summary.created == 1 and not summary.errors
    assert any(w.field == "header" and "semicolon" in w.reason for w in summary.warnings)


def test_a_semicolon_file_with_a_wrong_header_says_both(importer: Importer) -> None:
    path = importer.write("semi.csv", "Name;Street;City\nExample Recovery Center;1 Example;X\n")
    summary = importer.run("geoda-sud", path)
    error = _only_error(summary)
    assert error.field == "header" and "semicolon" in error.reason and "missing" in error.reason


def test_an_empty_file_is_an_error(importer: Importer) -> None:
    for format_name, name in (("geoda-sud", "empty.csv"), ("findtreatment", "empty.json")):
        path = importer.write(name, "")
        summary = importer.run(format_name, path)
        error = _only_error(summary)
        assert error.field == "file" and "empty" in error.reason, format_name
    header_only = importer.write("header.csv", SUD_HEADER)
    error = _only_error(importer.run("geoda-sud", header_only))
    assert error.field == "file" and "no rows" in error.reason


def test_a_truncated_row_is_reported_as_truncated_and_the_rest_imports(importer: Importer) -> None:
    path = importer.write(
        "short.csv",
        SUD_HEADER + "Example Cut Short,,3 Example Street,,Baltimore\n" + GOOD_SUD_ROW,
    )
    summary = importer.run("geoda-sud", path)
    error = _only_error(summary)
    assert (error.line, error.field) == (2, "row")
    assert "truncated" in error.reason and "5 of 11" in error.reason
    assert summary.created == 1


def test_a_four_digit_zip_outside_a_zero_zip_state_is_flagged_with_the_hint(
    importer: Importer
) -> None:
    path = importer.write(
        "zip.csv",
        SUD_HEADER + "Example Zip Center,,1 Example Street,,Baltimore,MD,2120,,,39.29,-76.61\n"
        + GOOD_SUD_ROW,
    )
    summary = importer.run("geoda-sud", path)
    error = _only_error(summary)
    assert (error.line, error.field) == (2, "zip")
    assert error.reason == (
        "ZIP must be 5 digits; a spreadsheet may have dropped a leading zero: 02120?"
    )
    assert summary.created == 1


def test_a_file_in_another_encoding_is_decoded(importer: Importer) -> None:
    text = SUD_HEADER + GOOD_SUD_ROW.replace("Example Recovery Center", "Example Clínica Señora")
    for encoding in ("utf-16", "cp1252"):
        path = importer.folder / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        with importer.session() as session:
            summary = run_import(session, "geoda-sud", path)
            assert not summary.errors, (encoding, summary.errors)
            names = session.scalars(select(Service.name)).all()
        assert "Example Clínica Señora" in names, encoding


def test_a_whole_file_error_never_says_line_0(importer: Importer) -> None:
    path = importer.write("sud.csv", SUD_HEADER + GOOD_SUD_ROW)
    from resources_db.importers.hsds import import_hsds

    with importer.session() as session:
        hsds = import_hsds(session, path)
    as_json = importer.run("findtreatment", path)
    for summary in (hsds, as_json):
        error = _only_error(summary)
        assert "line 0" not in str(error) and error.line != 0
        assert "CSV" in error.reason  # the likely cause: a CSV file given as another format
