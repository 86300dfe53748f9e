"""Property test: search over random directories equals a brute-force geodesic reference
(same set, same order, same total, same page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from geopy.distance import geodesic
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text

from resources_db.db import session_scope
from resources_db.importers import matching
from resources_db.importers.base import FacilityRecord, import_records, stable_id
from resources_db.models import Base
from resources_db.search import SearchQuery, search
from resources_db.search import radius as search_radius
from resources_db.search.counting import count_within
from resources_db.search.filters import Filters
from resources_db.vocabulary import INSURANCE_ACCEPTS, NEEDS, PAYMENT_VALUES

CENTER = (39.2904, -76.6122)
NOW = dt.datetime(2026, 11, 18, 19, 0, tzinfo=dt.UTC)
SOURCE = "property-test"
FEW_NEEDS = NEEDS[:4]
FEW_PAYMENTS = PAYMENT_VALUES[:4] + ("free", "sliding_fee")

# a few shared points so that ties (same place, several services) happen
SHARED = [geodesic(miles=m).destination(CENTER, b) for m, b in ((3.0, 10), (10.0, 200), (24.9, 90))]


@st.composite
def facility(draw: st.DrawFn) -> tuple[float, float, set[str], set[str]]:
    kind = draw(st.sampled_from(["anywhere", "near_edge", "shared"]))
    if kind == "shared":
        point = draw(st.sampled_from(SHARED))
    else:
        miles = (
            draw(st.floats(0.0, 60.0))
            if kind == "anywhere"
            else draw(st.sampled_from([5.0, 10.0, 25.0])) * draw(st.floats(0.985, 1.015))
        )
        point = geodesic(miles=miles).destination(CENTER, draw(st.floats(0, 360)))
    needs = draw(st.sets(st.sampled_from(FEW_NEEDS), min_size=1, max_size=3))
    payments = draw(st.sets(st.sampled_from(FEW_PAYMENTS), max_size=3))
    return point.latitude, point.longitude, needs, payments


queries = st.fixed_dictionaries(
    {
        "needs": st.lists(st.sampled_from(FEW_NEEDS), max_size=2, unique=True),
        "insurance": st.sampled_from([None, "medicaid", "medicare", "none"]),
        "radius_miles": st.sampled_from([5.0, 10.0, 25.0, 40.0]),
        "limit": st.integers(1, 8),
        "offset": st.integers(0, 6),
    }
)


def clear(url: str) -> None:
    with session_scope(url) as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("DELETE FROM search_rtree"))
            session.execute(text("DELETE FROM search_rtree_need"))
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))


def reference(
    facilities: list[tuple[float, float, set[str], set[str]]], q: dict
) -> list[tuple[float, str]]:
    accepted = INSURANCE_ACCEPTS[q["insurance"]] if q["insurance"] else None
    found = []
    for n, (lat, lon, needs, payments) in enumerate(facilities):
        if q["needs"] and not needs & set(q["needs"]):
            continue
        if accepted is not None and not payments & accepted:
            continue
        miles = geodesic(CENTER, (lat, lon)).miles
        if miles <= q["radius_miles"]:
            service = stable_id("service", SOURCE, f"r{n}")
            location = stable_id("location", SOURCE, f"r{n}")
            found.append((miles, stable_id("service_at_location", service, location)))
    return sorted(found)


#: (city, state, ZIP) of the generated records
BALTIMORE = ("Baltimore", "MD", "21201")
KANSAS = ("Example", "KS", "67601")


def _numbered_record(
    n: int, id_prefix: str, kind: str, street: str, town: tuple[str, str, str], **fields: Any
) -> FacilityRecord:
    """Generated record number `n`: "Example <kind> <n>" at "<n> Example <street>", `town`."""
    city, state, postal_code = town
    return FacilityRecord(
        source=SOURCE,
        source_record_id=f"{id_prefix}{n}",
        line=n + 1,
        name=f"Example {kind} {n}",
        last_verified=None,
        address_1=f"{n} Example {street}",
        city=city,
        state=state,
        postal_code=postal_code,
        **fields,
    )


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    facilities=st.lists(facility(), min_size=3, max_size=30),
    q=queries,
    read_max=st.sampled_from(
        [(0, 0), (search_radius.FULL_READ_MAX, search_radius.COUNT_READ_MAX)]
    ),
)
def test_search_matches_brute_force(
    empty_directory_url: str,
    monkeypatch: pytest.MonkeyPatch,
    facilities: list[tuple[float, float, set[str], set[str]]],
    q: dict,
    read_max: tuple[int, int],
) -> None:
    monkeypatch.setattr(matching, "MERGE_DISTANCE_M", -1.0)  # keep every random record separate
    # 0 forces the growing box and the banded count even on these small directories
    monkeypatch.setattr(search_radius, "FULL_READ_MAX", read_max[0])
    monkeypatch.setattr(search_radius, "COUNT_READ_MAX", read_max[1])
    clear(empty_directory_url)
    records = [
        _numbered_record(
            n, "r", "Facility", "Street", BALTIMORE,
            latitude=lat, longitude=lon, needs=needs, payments=payments,
        )
        for n, (lat, lon, needs, payments) in enumerate(facilities)
    ]
    with session_scope(empty_directory_url) as session:
        import_records(session, SOURCE, records)
        result = search(session, SearchQuery(lat=CENTER[0], lon=CENTER[1], **q), now=NOW)
    expected = reference(facilities, q)
    if not expected:
        assert result["relaxed"] is True or result["total"] == 0
        return
    assert result["relaxed"] is False
    assert result["total"] == len(expected)
    page = expected[q["offset"] : q["offset"] + q["limit"]]
    assert [c["id"] for c in result["resources"]] == [card_id for _, card_id in page]
    assert [c["distance_miles"] for c in result["resources"]] == [round(m, 1) for m, _ in page]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    points=st.lists(st.tuples(st.floats(0.0, 1.3), st.floats(0, 360)), min_size=1, max_size=80),
    radius=st.sampled_from([3.0, 10.0, 25.0, 60.0]),
    center_lat=st.floats(25.0, 64.0),
)
# a place exactly at the search point sits on a band edge
@example(points=[(0.0, 0.0), (0.5, 90.0)], radius=25.0, center_lat=39.0)
def test_counting_within_the_radius_matches_brute_force(
    empty_directory_url: str,
    monkeypatch: pytest.MonkeyPatch,
    points: list[tuple[float, float]],
    radius: float,
    center_lat: float,
) -> None:
    """The banded count (databases count the sure inside, the rim is measured) is exact."""
    monkeypatch.setattr(matching, "MERGE_DISTANCE_M", -1.0)
    clear(empty_directory_url)
    center = (center_lat, -100.0)
    located = [
        geodesic(miles=share * radius).destination(center, bearing) for share, bearing in points
    ]
    records = [
        _numbered_record(
            n, "c", "Place", "Road", KANSAS, latitude=p.latitude, longitude=p.longitude,
            needs={"detox"},
        )
        for n, p in enumerate(located)
    ]
    expected = sum(
        1 for p in located if geodesic(center, (p.latitude, p.longitude)).miles <= radius
    )
    with session_scope(empty_directory_url) as session:
        import_records(session, SOURCE, records)
        filters = Filters.of(SearchQuery(needs=["detox"], lat=0, lon=0))
        counted = count_within(session, filters, center[0], center[1], radius)
    assert counted == expected
