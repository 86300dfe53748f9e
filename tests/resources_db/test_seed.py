"""The default directory built from all bundled real data (takes ~25 s once per run)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from resources_db.db import dispose_engine, session_scope
from resources_db.importers.base import ImportSummary
from resources_db.importers.registry import FORMATS, SEED_ORDER
from resources_db.models import Phone, RecordSource, SearchEntry
from resources_db.search import SearchQuery, search
from resources_db.seed import seed_database

BALTIMORE = (39.2904, -76.6122)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[ImportSummary]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('seed')}/directory.sqlite3"
    summaries = seed_database(url)
    assert summaries is not None
    yield url, summaries
    dispose_engine(url)


def test_every_bundled_file_is_imported(seeded: tuple[str, list[ImportSummary]]) -> None:
    url, summaries = seeded
    assert [s.source for s in summaries] == [FORMATS[name].source for name in SEED_ORDER]
    for summary in summaries:
        assert summary.imported > 0, summary.text()
        # a handful of real rows are unusable (no street address)
        assert len(summary.errors) <= max(5, summary.imported // 200), summary.text()
    with session_scope(url) as session:
        sources = dict(
            session.execute(
                select(RecordSource.source, func.count()).group_by(RecordSource.source)
            ).all()
        )
    assert sources["samhsa-locator-sud"] == 14_034
    assert sources["samhsa-otp-directory"] == 1_831


def test_same_facilities_across_files_are_merged(seeded: tuple[str, list[ImportSummary]]) -> None:
    _, summaries = seeded
    merged = {s.source: s.merged for s in summaries}
    assert merged["samhsa-otp-directory"] > 500
    assert merged["samhsa-national-directory-2017"] > 500


def test_seeding_again_does_nothing_without_force(seeded: tuple[str, list[ImportSummary]]) -> None:
    url, _ = seeded
    assert seed_database(url) is None


def test_real_search_near_baltimore(seeded: tuple[str, list[ImportSummary]]) -> None:
    url, _ = seeded
    with session_scope(url) as session:
        result = search(
            session,
            SearchQuery(needs=["moud"], lat=BALTIMORE[0], lon=BALTIMORE[1], insurance="medicaid"),
        )
    assert result["total"] >= 10 and not result["relaxed"]
    for card in result["resources"]:
        assert "moud" in card["categories"] and "medicaid" in card["insurance"]
        assert card["state"] in {"MD", "PA", "DE", "DC", "VA"}
        assert card["source"] != "test-fixture"


def test_only_real_phone_numbers_ship(seeded: tuple[str, list[ImportSummary]]) -> None:
    url, _ = seeded
    national = json.loads((Path(FORMATS["national"].seed_file)).read_text())["resources"]
    allowed_national = {str(e[k]) for e in national for k in ("phone", "tty") if e.get(k)}
    with session_scope(url) as session:
        numbers = set(session.execute(select(Phone.number)).scalars())
        national_phones = set(
            session.execute(select(Phone.number).where(Phone.source == "national")).scalars()
        )
    assert not [n for n in numbers if n[4:7] == "555" and n[8:10] == "01"]
    assert national_phones == allowed_national


def test_national_lines_are_in_the_index(seeded: tuple[str, list[ImportSummary]]) -> None:
    url, _ = seeded
    with session_scope(url) as session:
        count = session.execute(
            select(func.count()).select_from(SearchEntry).where(SearchEntry.national.is_(True))
        ).scalar()
    assert count == 15


def test_a_ride_near_charlottesville_finds_facilities_that_help_with_transportation(
    seeded: tuple[str, list[ImportSummary]],
) -> None:
    # FindTreatment.gov "Ancillary Services: Transportation assistance" (docs/directory.md)
    url, _ = seeded
    with session_scope(url) as session:
        body = search(
            session, SearchQuery(needs=["transportation"], near="22902", radius_miles=100)
        )
    local = [card for card in body["resources"] if card["source"] != "national"]
    assert body["query"]["scope"] == "radius" and len(local) == 3
    assert all("help with transportation" in card["offers"] for card in local)
    assert {card["name"] for card in local} == {
        "Region Ten Community Services Board",
        "Valley Community Services Board",
    }
