"""Directory search over the fictional fixture directory (contract §2 and §3)."""

from __future__ import annotations

import datetime as dt

import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from core.contract import CARD_FIELDS
from resources_db import search as search_module
from resources_db.geocode import Place, PlaceLookup
from resources_db.search import SearchError, SearchQuery, parse_search_params, search
from resources_db.search import query as search_query
from resources_db.search import relax as search_relax
from tests.fixtures.directory import BALTIMORE, FIXTURE_NOW, OAKLAND_MD, TOWSON

BALTIMORE_PLACE = Place(
    "Baltimore, MD 21201", BALTIMORE[0], BALTIMORE[1], "zip", "Baltimore", "MD", "21201"
)


def query(**kwargs: object) -> SearchQuery:
    kwargs.setdefault("lat", BALTIMORE[0])
    kwargs.setdefault("lon", BALTIMORE[1])
    return SearchQuery(**kwargs)  # type: ignore[arg-type]


def names(result: dict) -> list[str]:
    return [card["name"] for card in result["resources"]]


def test_detox_near_baltimore_nearest_first_with_exact_distances(
    directory_session: Session,
) -> None:
    result = search(directory_session, query(needs=["detox"]), now=FIXTURE_NOW)
    assert names(result) == [
        "Example Detox Center",
        "Example Residential Treatment Center",
        "Example Towson Detox",
    ]
    assert result["total"] == 3 and result["relaxed"] is False
    for card in result["resources"]:
        expected = geodesic(BALTIMORE, (card["lat"], card["lon"])).miles
        assert card["distance_miles"] == round(expected, 1)
    distances = [c["distance_miles"] for c in result["resources"]]
    assert distances == sorted(distances)


def test_inactive_services_are_never_returned(directory_session: Session) -> None:
    result = search(directory_session, query(needs=["detox"], radius_miles=200), now=FIXTURE_NOW)
    assert "Example Closed Detox" not in names(result)


def test_card_has_every_contract_field(directory_session: Session) -> None:
    result = search(directory_session, query(needs=["detox"]), now=FIXTURE_NOW)
    card = result["resources"][0]
    assert list(card) == list(CARD_FIELDS)
    assert card["categories"] == ["detox", "moud"]
    assert card["insurance"] == ["medicaid", "private", "self_pay"]
    assert card["languages"] == ["en", "es"]
    assert card["populations"] == ["adults"]
    assert card["phone"] == "410-555-0100"
    assert card["hours"] == "24/7"
    assert card["open_now"] is True
    assert card["capacity"] == {
        "available": 3,
        "total": 20,
        "unit": "beds",
        "updated_at": "2026-11-17T14:05:00Z",
    }
    assert card["source"] == "test-fixture"
    assert card["last_verified"] == "2026-11-01"
    assert card["address"] == "100 Example Street"
    assert (card["city"], card["state"], card["zip"]) == ("Baltimore", "MD", "21201")


def test_capacity_is_null_when_nobody_reports_it(directory_session: Session) -> None:
    result = search(directory_session, query(needs=["moud"]), now=FIXTURE_NOW)
    clinic = next(c for c in result["resources"] if c["name"] == "Example Methadone Clinic")
    assert clinic["capacity"] is None


def test_several_needs_match_any(directory_session: Session) -> None:
    result = search(directory_session, query(needs=["housing", "transportation"]), now=FIXTURE_NOW)
    assert set(names(result)) == {
        "Example Recovery House",
        "Example Women's Recovery House",
        "Example Ride Program",
        "Example Towson Sober Living",
    }


@pytest.mark.parametrize(
    ("insurance", "expected"),
    [
        (
            "medicaid",
            {
                "Example Detox Center",
                "Example Residential Treatment Center",
                "Example Towson Detox",
            },
        ),
        ("medicare", {"Example Towson Detox"}),
        ("none", set()),
    ],
)
def test_insurance_filter(directory_session: Session, insurance: str, expected: set[str]) -> None:
    result = search(directory_session, query(needs=["detox"], insurance=insurance), now=FIXTURE_NOW)
    if expected:
        assert set(names(result)) == expected and not result["relaxed"]
    else:
        assert result["relaxed"] is True


def test_no_insurance_matches_free_sliding_fee_assistance_and_state_funded(
    directory_session: Session,
) -> None:
    result = search(directory_session, query(insurance="none", limit=50), now=FIXTURE_NOW)
    assert set(names(result)) == {
        "Example Methadone Clinic",  # sliding fee
        "Example Women's Recovery House",  # payment assistance
        "Example Harm Reduction Outreach",  # free
        "Example Recovery Community Center",
        "Example Youth Counseling Services",
        "Example Insurance Navigators",
        "Example Night Crisis Center",  # free and state funded
    }


def test_population_and_language_filters(directory_session: Session) -> None:
    assert names(search(directory_session, query(population="veterans"), now=FIXTURE_NOW)) == [
        "Example Veterans Outpatient Program"
    ]
    spanish = search(
        directory_session, query(needs=["mental_health"], language="ar"), now=FIXTURE_NOW
    )
    assert names(spanish) == ["Example Community Mental Health"]


def test_open_now_in_the_locations_time_zone(directory_session: Session) -> None:
    # Wednesday 14:00 in Baltimore: the methadone clinic (6-14) has just closed.
    result = search(directory_session, query(needs=["moud"], open_now=True), now=FIXTURE_NOW)
    assert "Example Methadone Clinic" not in names(result)
    assert "Example Detox Center" in names(result)
    morning = dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC)  # 07:00 in Baltimore
    result = search(directory_session, query(needs=["moud"], open_now=True), now=morning)
    assert "Example Methadone Clinic" in names(result)


def test_overnight_hours_and_unknown_hours(directory_session: Session) -> None:
    late = dt.datetime(2026, 11, 19, 7, 0, tzinfo=dt.UTC)  # Thursday 02:00 in Baltimore
    result = search(directory_session, query(needs=["crisis"]), now=late)
    assert result["resources"][0]["open_now"] is True
    result = search(directory_session, query(needs=["crisis"]), now=FIXTURE_NOW)
    assert result["resources"][0]["open_now"] is False
    rides = search(directory_session, query(needs=["transportation"]), now=FIXTURE_NOW)
    assert rides["resources"][0]["hours"] is None and rides["resources"][0]["open_now"] is None


def test_paging_is_stable_and_complete(directory_session: Session) -> None:
    everything = search(directory_session, query(limit=50), now=FIXTURE_NOW)
    pages = []
    for offset in range(0, everything["total"], 4):
        page = search(directory_session, query(limit=4, offset=offset), now=FIXTURE_NOW)
        assert page["total"] == everything["total"]
        pages += [c["id"] for c in page["resources"]]
    assert pages == [c["id"] for c in everything["resources"]]
    assert len(set(pages)) == len(pages)


def test_relaxation_widens_the_radius_first(directory_session: Session) -> None:
    # Nothing in Oakland MD treats detox; the nearest is ~150 miles away in Baltimore.
    result = search(
        directory_session,
        query(needs=["detox"], lat=OAKLAND_MD[0], lon=OAKLAND_MD[1]),
        now=FIXTURE_NOW,
    )
    assert result["relaxed"] is True
    assert result["query"]["radius_miles"] == 200
    assert result["query"]["scope"] == "radius"
    assert result["resources"][0]["name"] == "Example Residential Treatment Center"


def test_relaxation_reaches_national_lines_when_nothing_local(
    directory_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resources_db.importers import national_lines
    from resources_db.importers.base import import_records

    import_records(directory_session, "national", national_lines.parse())
    result = search(
        directory_session,
        query(needs=["mutual_aid"], lat=TOWSON[0], lon=TOWSON[1]),
        now=FIXTURE_NOW,
    )
    # the Baltimore recovery community center holds meetings and is within 25 miles
    assert result["relaxed"] is False
    far = search(
        directory_session, query(needs=["harm_reduction"], lat=61.2, lon=-149.9), now=FIXTURE_NOW
    )
    assert far["relaxed"] is True
    assert far["query"]["scope"] == "national"
    assert names(far) == ["Never Use Alone hotline"]
    card = far["resources"][0]
    assert card["lat"] is None and card["distance_miles"] is None
    assert card["source"] == "national" and card["phone"] == "1-800-484-3731"


def test_statewide_before_national(
    directory_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A point in Maryland with a tiny radius and no nearby insurance help within 200 miles
    # does not exist, so use a need only offered in Baltimore and search from Oakland with
    # the 200-mile step unavailable (radius already at the maximum).
    monkeypatch.setattr(search_relax, "RELAX_RADII", ())
    monkeypatch.setattr(
        search_relax,
        "reverse_place",
        lambda lat, lon: Place("Oakland, MD 21550", lat, lon, "zip", "Oakland", "MD", "21550"),
    )
    result = search(
        directory_session,
        query(needs=["insurance"], lat=OAKLAND_MD[0], lon=OAKLAND_MD[1]),
        now=FIXTURE_NOW,
    )
    assert result["relaxed"] is True
    assert result["query"]["scope"] == "state" and result["query"]["state"] == "MD"
    assert names(result) == ["Example Insurance Navigators"]


@pytest.fixture
def near_is_baltimore(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `near` resolves to Baltimore, MD 21201, without the gazetteer."""
    monkeypatch.setattr(
        search_query, "resolve_place", lambda text: PlaceLookup("found", BALTIMORE_PLACE, [])
    )


def refusal(params: dict[str, str]) -> SearchError:
    """The error parse_search_params raises for `params` (the test fails if it raises none)."""
    with pytest.raises(SearchError) as caught:
        parse_search_params(params)
    assert caught.value.message
    return caught.value


@pytest.mark.usefixtures("near_is_baltimore")
def test_near_is_resolved_and_echoed(directory_session: Session) -> None:
    q = parse_search_params({"need": "detox", "near": "21201"})
    result = search(directory_session, q, now=FIXTURE_NOW)
    assert result["query"]["near"] == {
        "label": "Baltimore, MD 21201",
        "lat": BALTIMORE[0],
        "lon": BALTIMORE[1],
    }
    assert result["query"]["need"] == ["detox"] and result["query"]["radius_miles"] == 25


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"need": "rehab", "near": "21201"}, "unknown_need", "need"),
        ({"need": "detox"}, "missing_location", "near"),
        ({"need": "detox", "lat": "39.2"}, "missing_parameter", "lon"),
        ({"need": "detox", "lat": "abc", "lon": "-76"}, "invalid_number", "lat"),
        ({"need": "detox", "lat": "91", "lon": "-76"}, "out_of_range", "lat"),
        ({"need": "detox", "lat": "39", "lon": "-181"}, "out_of_range", "lon"),
        ({"need": "detox", "lat": "nan", "lon": "-76"}, "invalid_number", "lat"),
    ],
)
@pytest.mark.usefixtures("near_is_baltimore")
def test_bad_need_or_location_names_the_field(
    params: dict[str, str], code: str, field: str
) -> None:
    error = refusal(params)
    assert (error.code, error.field) == (code, field)


#: One option wrong on an otherwise good query, and the error code that names it.
BAD_OPTIONS: list[tuple[dict[str, str], str]] = [
    ({"radius_miles": "0"}, "out_of_range"),
    ({"radius_miles": "201"}, "out_of_range"),
    ({"radius_miles": "ten"}, "invalid_number"),
    ({"limit": "0"}, "out_of_range"),
    ({"limit": "51"}, "out_of_range"),
    ({"limit": "2.5"}, "invalid_number"),
    ({"offset": "-1"}, "out_of_range"),
    ({"insurance": "gold"}, "unknown_insurance"),
    ({"population": "kids"}, "unknown_population"),
    ({"language": "spanish"}, "invalid_language"),
    ({"open_now": "maybe"}, "invalid_boolean"),
]


@pytest.mark.parametrize(("option", "code"), BAD_OPTIONS)
@pytest.mark.usefixtures("near_is_baltimore")
def test_one_bad_option_on_a_good_query_is_named(option: dict[str, str], code: str) -> None:
    error = refusal({"need": "detox", "near": "21201", **option})
    assert (error.code, [error.field]) == (code, list(option))


@pytest.mark.usefixtures("near_is_baltimore")
def test_defaults_and_several_needs() -> None:
    q = parse_search_params({"need": "detox, moud,detox", "near": "21201", "insurance": "Medicaid"})
    assert q.needs == ["detox", "moud"]
    assert (q.radius_miles, q.limit, q.offset, q.open_now) == (25, 10, 0, False)
    assert q.insurance == "medicaid" and q.place == BALTIMORE_PLACE


def test_unknown_and_ambiguous_places(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        search_query, "resolve_place", lambda text: PlaceLookup("unknown", None, [])
    )
    error = refusal({"need": "detox", "near": "Atlantis"})
    assert (error.code, error.field) == ("unknown_place", "near")
    springfields = [
        Place("Springfield, IL", 39.8, -89.6, "city", "Springfield", "IL"),
        Place("Springfield, MO", 37.2, -93.3, "city", "Springfield", "MO"),
    ]
    monkeypatch.setattr(
        search_query, "resolve_place", lambda text: PlaceLookup("ambiguous", None, springfields)
    )
    error = refusal({"need": "detox", "near": "Springfield"})
    assert error.code == "ambiguous_place"
    assert error.candidates == springfields
    assert "Springfield, IL" in error.message


def test_search_validates_programmatic_queries(directory_session: Session) -> None:
    with pytest.raises(SearchError) as caught:
        search(directory_session, query(needs=["rehab"]))
    assert caught.value.field == "need"


@settings(max_examples=200)
@given(st.floats(-89, 89), st.floats(-180, 180), st.floats(-89, 89), st.floats(-180, 180))
def test_distance_is_geopys_geodesic(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    expected = geodesic((lat1, lon1), (lat2, lon2)).miles
    assert search_module.geodesic_miles(lat1, lon1, lat2, lon2) == pytest.approx(expected, abs=1e-6)
    # and the fast spherical bound used for pruning stays within EPS of it
    if expected > 0.01:
        ratio = search_module.spherical_miles(lat1, lon1, lat2, lon2) / expected
        assert abs(ratio - 1) < search_module.EPS
