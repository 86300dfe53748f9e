"""resolve_place / reverse_place, and the online address geocoder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from geopy.geocoders import Nominatim
from geopy.location import Location
from geopy.point import Point
from hypothesis import given, settings
from hypothesis import strategies as st

from resources_db.gazetteer import load_gazetteer
from resources_db.geocode import (
    MAX_CANDIDATES,
    PlaceLookup,
    city_place,
    resolve_place,
    reverse_place,
)
from resources_db.geocode_online import (
    AddressGeocoder,
    GeocodeCache,
    geocode_address,
    make_geocoder,
)
from tests.resources_db import places

# --- resolve_place: what people type ------------------------------------------------------


@pytest.mark.parametrize(("text", "label"), places.labelled("found"))
def test_resolves_what_people_type(text: str, label: str) -> None:
    """Phrasings (and small misspellings) that name one place, in place_phrasings.yml."""
    assert places.found_label(text) == label


def test_kinds_and_fields() -> None:
    zip_place = resolve_place("21201").place
    assert zip_place is not None
    assert (zip_place.kind, zip_place.city, zip_place.state, zip_place.zip) == (
        "zip",
        "Baltimore",
        "MD",
        "21201",
    )
    city = resolve_place("Towson MD").place
    assert city is not None
    assert (city.kind, city.city, city.state, city.zip) == ("city", "Towson", "MD", None)
    assert (city.lat, city.lon) == pytest.approx((39.40, -76.60), abs=0.05)
    state = resolve_place("Maryland").place
    assert state is not None and (state.kind, state.state, state.city) == ("state", "MD", None)


def test_place_to_dict_is_json_ready() -> None:
    place = resolve_place("Towson MD").place
    assert place is not None
    assert place.to_dict() == {
        "label": "Towson, MD",
        "lat": place.lat,
        "lon": place.lon,
        "kind": "city",
        "city": "Towson",
        "state": "MD",
        "zip": None,
    }


@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("Columbia", {"SC", "MO", "MD"}),
        ("Springfield", {"MO", "MA", "IL"}),
        ("Portland", {"OR", "ME"}),
        ("Kansas City", {"MO", "KS"}),
        ("Ocean City", {"MD", "NJ"}),  # both too small for geonames' list: ask
        ("Washington County", set()),  # in 30 states, none with a known population
    ],
)
def test_shared_names_are_ambiguous_most_populous_first(text: str, states: set[str]) -> None:
    lookup = resolve_place(text)
    assert lookup.status == "ambiguous" and lookup.place is None
    assert 2 <= len(lookup.candidates) <= MAX_CANDIDATES
    assert states <= {c.state for c in lookup.candidates}
    assert all(c.kind == "city" for c in lookup.candidates)


def test_ambiguous_order_follows_population() -> None:
    assert [c.state for c in resolve_place("Portland").candidates[:2]] == ["OR", "ME"]
    assert [c.state for c in resolve_place("Springfield").candidates[:3]] == ["MO", "MA", "IL"]


def test_city_named_like_a_state_elsewhere_asks() -> None:
    lookup = resolve_place("Washington")
    assert lookup.status == "ambiguous"
    assert [c.label for c in lookup.candidates] == ["Washington, DC", "Washington State"]
    assert places.found_label("Washington State") == "Washington"
    assert places.found_label("Spokane, Washington") == "Spokane, WA"


@pytest.mark.parametrize(
    "text", ["Springfield", "Columbia", "Portland", "Washington", "Washington County", "Hope"]
)
def test_choosing_a_candidate_resolves_to_it(text: str) -> None:
    """The assistant offers candidate labels as choices; each must resolve to itself."""
    for candidate in resolve_place(text).candidates:
        lookup = resolve_place(candidate.label)
        assert lookup.status == "found" and lookup.place is not None
        assert (lookup.place.lat, lookup.place.lon) == (candidate.lat, candidate.lon)


def test_every_city_label_resolves_to_that_city() -> None:
    gazetteer = load_gazetteer()
    unique = {(r.key, r.state): r for r in gazetteer.cities.values()}.values()
    unresolved = [
        city_place(record).label
        for record in unique
        if resolve_place(city_place(record).label).place != city_place(record)
    ]
    assert unresolved == []


@pytest.mark.parametrize("text", [*places.PHRASINGS["unknown"], "x" * 10_000])
def test_garbage_and_non_places_are_unknown(text: str) -> None:
    lookup = resolve_place(text)
    assert lookup == PlaceLookup(status="unknown", place=None, candidates=[])


def test_non_string_input_is_unknown() -> None:
    assert resolve_place(None).status == "unknown"  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_always_returns_a_consistent_lookup(text: str) -> None:
    lookup = resolve_place(text)
    assert isinstance(lookup, PlaceLookup)
    if lookup.status == "found":
        assert lookup.place is not None
    elif lookup.status == "ambiguous":
        assert lookup.place is None and 2 <= len(lookup.candidates) <= MAX_CANDIDATES
    else:
        assert lookup.status == "unknown" and lookup.place is None and not lookup.candidates


# --- reverse_place ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "city", "state"),
    [
        (39.2904, -76.6122, "Baltimore", "MD"),
        (39.4015, -76.6019, "Towson", "MD"),
        (41.8781, -87.6298, "Chicago", "IL"),
        (61.2181, -149.9003, "Anchorage", "AK"),
        (18.4655, -66.1057, "San Juan", "PR"),
    ],
)
def test_reverse_place_names_the_nearest_zip(lat: float, lon: float, city: str, state: str) -> None:
    place = reverse_place(lat, lon)
    assert (place.kind, place.city, place.state) == ("point", city, state)
    assert (place.lat, place.lon) == (lat, lon)
    assert place.zip is not None and place.label == f"{city}, {state} {place.zip}"


def test_reverse_place_outside_the_us_still_gives_a_sane_label() -> None:
    place = reverse_place(48.8566, 2.3522)  # Paris
    assert place.state is not None and place.zip is not None
    assert place.label == f"{place.city}, {place.state} {place.zip}"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (91.0, 0.0),
        (-91.0, 0.0),
        (0.0, 180.5),
        (float("nan"), 0.0),
        (0.0, float("inf")),
        ("north", 0.0),
        (None, 0.0),
    ],
)
def test_reverse_place_rejects_invalid_coordinates(lat: Any, lon: Any) -> None:
    with pytest.raises(ValueError):
        reverse_place(lat, lon)


# --- online address geocoding (fake service, no network) --------------------------------


class FakeGeocoder:
    """Stands in for a geopy geocoder: answers from a dict or raises, counting calls."""

    def __init__(
        self, answers: dict[str, tuple[float, float]] | None = None, error: Exception | None = None
    ) -> None:
        self.answers = answers or {}
        self.error = error
        self.calls: list[str] = []

    def geocode(self, query: str, exactly_one: bool = True) -> Location | None:
        self.calls.append(query)
        if self.error is not None:
            raise self.error
        point = self.answers.get(query.lower())
        return Location(f"Example match for {query}", Point(*point), {}) if point else None


def address_geocoder(fake: FakeGeocoder, cache_file: Path) -> AddressGeocoder:
    return AddressGeocoder(
        fake, name="fake", cache=GeocodeCache(cache_file), min_delay_seconds=0.0, max_retries=0
    )


ADDRESS = "1 example way, towson, md 21204"
ADDRESS_POINT = (39.3950, -76.6100)


def test_online_answer_is_a_labelled_point(tmp_path: Path) -> None:
    fake = FakeGeocoder({ADDRESS: ADDRESS_POINT})
    place = address_geocoder(fake, tmp_path / "cache.sqlite3").geocode(ADDRESS)
    assert place is not None
    assert (place.kind, place.lat, place.lon, place.state) == ("point", *ADDRESS_POINT, "MD")
    assert place.label.startswith("Towson, MD ")


def test_online_answers_are_cached_on_disk_by_normalized_query(tmp_path: Path) -> None:
    fake = FakeGeocoder({ADDRESS: ADDRESS_POINT})
    first = address_geocoder(fake, tmp_path / "cache.sqlite3").geocode(ADDRESS)
    again = address_geocoder(fake, tmp_path / "cache.sqlite3").geocode(
        "  1 Example Way,  Towson, MD 21204. "
    )
    assert fake.calls == [ADDRESS]
    assert again == first


def test_not_found_is_cached_and_falls_back_to_the_offline_gazetteer(tmp_path: Path) -> None:
    fake = FakeGeocoder({})
    geocoder = address_geocoder(fake, tmp_path / "cache.sqlite3")
    place = geocoder.geocode("2 Example Road, Towson, MD 21286")
    assert place is not None and (place.kind, place.zip) == ("zip", "21286")
    geocoder.geocode("2 Example Road, Towson, MD 21286")
    assert len(fake.calls) == 1


@pytest.mark.parametrize(
    "error",
    [
        GeocoderUnavailable("down"),
        GeocoderTimedOut("slow"),
        GeocoderServiceError("500"),
        ConnectionResetError("reset"),
    ],
)
def test_service_failure_falls_back_offline_and_is_not_cached(
    tmp_path: Path, error: Exception
) -> None:
    fake = FakeGeocoder(error=error)
    geocoder = address_geocoder(fake, tmp_path / "cache.sqlite3")
    place = geocoder.geocode("3 Example Street, Baltimore, MD")
    assert place == resolve_place("Baltimore, MD").place
    geocoder.geocode("3 Example Street, Baltimore, MD")
    assert len(fake.calls) == 2  # the failure was not remembered


def test_online_answer_outside_the_us_is_ignored(tmp_path: Path) -> None:
    fake = FakeGeocoder({"example street, springfield": (48.8566, 2.3522)})
    place = address_geocoder(fake, tmp_path / "cache.sqlite3").geocode(
        "Example Street, Springfield"
    )
    assert place is None  # Paris is not a US answer, and "Springfield" alone is ambiguous


class FakeNominatim(FakeGeocoder):
    """A service that, like Nominatim, can be limited to some countries."""

    def __init__(self) -> None:
        super().__init__({ADDRESS: ADDRESS_POINT})
        self.country_codes: list[str | None] = []

    def geocode(
        self, query: str, exactly_one: bool = True, country_codes: str | None = None
    ) -> Location | None:
        self.country_codes.append(country_codes)
        return super().geocode(query, exactly_one)


def test_services_that_can_are_limited_to_the_us(tmp_path: Path) -> None:
    fake = FakeNominatim()
    address_geocoder(fake, tmp_path / "cache.sqlite3").geocode(ADDRESS)
    assert fake.country_codes == ["us"]


def test_blank_address_is_none_without_calling_the_service(tmp_path: Path) -> None:
    fake = FakeGeocoder({})
    assert address_geocoder(fake, tmp_path / "cache.sqlite3").geocode("   ") is None
    assert fake.calls == []


def test_make_geocoder_offline_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RN_GEOCODER", raising=False)
    assert make_geocoder().online is None
    assert make_geocoder("offline").online is None
    place = geocode_address("Towson, MD 21204")
    assert place is not None and place.label == "Towson, MD 21204"


def test_make_geocoder_nominatim_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RN_GEOCODER", "nominatim:https://geo.example.org/nominatim/")
    geocoder = make_geocoder(cache_path=tmp_path / "cache.sqlite3")
    assert isinstance(geocoder.online, Nominatim)
    assert geocoder.online.domain == "geo.example.org/nominatim"
    assert geocoder.online.scheme == "https"
    assert geocoder.online.headers["User-Agent"] == "recovery-navigator"
    assert geocoder.cache is not None and geocoder.cache.path == tmp_path / "cache.sqlite3"


def test_make_geocoder_any_geopy_service_by_name(tmp_path: Path) -> None:
    geocoder = make_geocoder(
        "photon:https://photon.example.org", cache_path=tmp_path / "cache.sqlite3"
    )
    assert type(geocoder.online).__name__ == "Photon"


@pytest.mark.parametrize(
    "spec", ["no-such-service", "nominatim:ftp://example.org", "nominatim:not a url"]
)
def test_make_geocoder_rejects_bad_specs(spec: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        make_geocoder(spec, cache_path=tmp_path / "cache.sqlite3")
