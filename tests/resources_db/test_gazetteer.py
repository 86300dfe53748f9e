"""The bundled gazetteer: ZIPs, cities, states, time zones and the on-disk cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from resources_db.gazetteer import (
    COMMON_WORD_PLACE_NAMES,
    WORDLIKE_STATE_CODES,
    Gazetteer,
    load_gazetteer,
    normalize_name,
    timezone_for,
    timezone_for_zip,
)
from resources_db.gazetteer import cache as gazetteer_cache


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_load_is_cached_per_process(gazetteer: Gazetteer) -> None:
    assert load_gazetteer() is gazetteer


def test_zip_record_has_city_state_county_timezone_and_centroid(gazetteer: Gazetteer) -> None:
    record = gazetteer.zips["21201"]
    assert (record.city, record.state, record.county) == ("Baltimore", "MD", "Baltimore city")
    assert record.timezone == "America/New_York"
    assert record.lat == pytest.approx(39.29, abs=0.05)
    assert record.lon == pytest.approx(-76.62, abs=0.05)


def test_territories_and_dc_are_covered_military_zips_are_not(gazetteer: Gazetteer) -> None:
    assert gazetteer.zips["00901"].state == "PR"
    assert gazetteer.zips["20001"].state == "DC"
    assert gazetteer.zips["96910"].state == "GU"
    assert "09001" not in gazetteer.zips  # APO AE: no place a person can be sent to
    assert {"PR", "DC", "GU", "VI", "MD", "AK", "HI"} <= set(gazetteer.states)


def test_city_prefers_geonames_point_and_knows_population(gazetteer: Gazetteer) -> None:
    towson = gazetteer.city("Towson", "MD")
    assert towson is not None
    assert towson.population is not None and towson.population > 50_000
    assert (towson.lat, towson.lon) == pytest.approx((39.4015, -76.60191), abs=1e-4)
    assert "21204" in towson.zips


def test_small_city_centroid_is_the_mean_of_its_zip_centroids(gazetteer: Gazetteer) -> None:
    record = gazetteer.city("Hope", "AR")
    assert record is not None and record.population is None
    members = [gazetteer.zips[z] for z in record.zips if gazetteer.zips[z].active]
    assert record.lat == pytest.approx(sum(m.lat for m in members) / len(members), abs=1e-4)
    assert record.lon == pytest.approx(sum(m.lon for m in members) / len(members), abs=1e-4)


def test_acceptable_city_names_become_places(gazetteer: Gazetteer) -> None:
    # "Loch Raven" is a USPS-acceptable name for Towson ZIPs, not a primary city.
    loch_raven = gazetteer.city("Loch Raven", "MD")
    assert loch_raven is not None
    assert set(loch_raven.zips) & {"21204", "21286"}


def test_ambiguous_names_are_ranked_most_populous_first(gazetteer: Gazetteer) -> None:
    springfields = gazetteer.cities_by_name["springfield"]
    populations = [r.population or 0 for r in springfields]
    assert populations == sorted(populations, reverse=True)
    assert {r.state for r in springfields[:3]} == {"MO", "MA", "IL"}


def test_new_york_city_is_the_usps_city_of_new_york(gazetteer: Gazetteer) -> None:
    record = gazetteer.city("New York City", "NY")
    assert record is not None
    assert record is gazetteer.city("New York", "NY")
    assert record.population is not None and record.population > 8_000_000
    assert gazetteer.aliases["nyc"] is record


def test_state_centroid_lies_inside_the_state(gazetteer: Gazetteer) -> None:
    maryland = gazetteer.states["MD"]
    assert maryland.name == "Maryland"
    assert 37.9 < maryland.lat < 39.8 and -79.5 < maryland.lon < -75.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("St. Louis", "saint louis"),
        ("Saint Louis", "saint louis"),
        ("st louis", "saint louis"),
        ("Mt Vernon", "mount vernon"),
        ("Ft. Worth", "fort worth"),
        ("Coeur d'Alene", "coeur dalene"),
        ("Winston-Salem", "winston salem"),
        ("Española", "espanola"),
        ("Helena MT", "helena mt"),  # a trailing "MT" is Montana, not "mount"
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


@pytest.mark.parametrize(
    ("lat", "lon", "zone"),
    [
        (39.2904, -76.6122, "America/New_York"),
        (41.8781, -87.6298, "America/Chicago"),
        (39.7392, -104.9903, "America/Denver"),
        (33.4484, -112.0740, "America/Phoenix"),
        (34.0522, -118.2437, "America/Los_Angeles"),
        (61.2181, -149.9003, "America/Anchorage"),
        (21.3069, -157.8583, "Pacific/Honolulu"),
        (18.4655, -66.1057, "America/Puerto_Rico"),
    ],
)
def test_timezone_for_point(lat: float, lon: float, zone: str) -> None:
    assert timezone_for(lat, lon) == zone


def test_timezone_for_zip() -> None:
    assert timezone_for_zip("21201") == "America/New_York"
    assert timezone_for_zip("80202-1234") == "America/Denver"
    assert timezone_for_zip("99999") is None
    assert timezone_for_zip("") is None


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, 181.0), (float("nan"), 0.0)])
def test_timezone_for_invalid_point_is_none(lat: float, lon: float) -> None:
    assert timezone_for(lat, lon) is None


def test_nearest_zip_across_the_antimeridian(gazetteer: Gazetteer) -> None:
    # Adak, Alaska sits west of 180 degrees in longitude terms (-176.6).
    assert gazetteer.nearest_zip(51.88, -176.65).state == "AK"
    assert gazetteer.nearest_zip(51.88, 179.9).state == "AK"


# --- words that are also place names --------------------------------------------------

BRIEF_STOPWORDS = [
    "hope",
    "home",
    "bed",
    "help",
    "independence",
    "why",
    "needles",
    "house",
    "sober",
    "mercy",
    "clean",
    "friendship",
    "rehab",
    "center",
    "opportunity",
    "liberty",
    "victory",
]


def test_stopword_list_covers_service_and_common_words() -> None:
    assert set(BRIEF_STOPWORDS) <= COMMON_WORD_PLACE_NAMES


def test_wordlike_state_codes_are_never_alone() -> None:
    assert {"in", "me", "or", "ok", "hi", "oh", "pa"} <= WORDLIKE_STATE_CODES


# --- on-disk cache ---------------------------------------------------------------------


@pytest.fixture
def cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gazetteer: Gazetteer
) -> tuple[Path, list[int]]:
    """A private cache directory; "building" hands out the process gazetteer and is counted."""
    builds: list[int] = []

    def fake_build() -> Gazetteer:
        builds.append(1)
        return gazetteer

    monkeypatch.setenv("RN_GAZETTEER_CACHE", str(tmp_path))
    monkeypatch.setattr(gazetteer_cache, "build_gazetteer", fake_build)
    return tmp_path, builds


def load_uncached_in_memory() -> Gazetteer:
    """What a fresh process would get (bypasses this process's in-memory cache)."""
    return gazetteer_cache._cached_gazetteer.__wrapped__()  # type: ignore[no-any-return]


def test_second_process_reads_the_cache_instead_of_building(
    cache_dir: tuple[Path, list[int]],
) -> None:
    directory, builds = cache_dir
    load_uncached_in_memory()
    files = list(directory.glob("gazetteer-*.pickle"))
    assert len(files) == 1 and builds == [1]
    again = load_uncached_in_memory()
    assert builds == [1]
    assert again.zips["21201"].city == "Baltimore"
    assert again.city("Towson", "MD") is not None


def test_unreadable_cache_is_rebuilt(cache_dir: tuple[Path, list[int]]) -> None:
    directory, builds = cache_dir
    path = gazetteer_cache.cache_path()
    assert path is not None and path.parent == directory
    path.write_bytes(b"not a pickle")
    assert load_uncached_in_memory().zips["21201"].state == "MD"
    assert builds == [1]
    load_uncached_in_memory()
    assert builds == [1]  # the rebuilt gazetteer replaced the broken file


def test_stale_cache_files_are_removed(cache_dir: tuple[Path, list[int]]) -> None:
    directory, _builds = cache_dir
    (directory / "gazetteer-0000000000000000.pickle").write_bytes(b"old")
    load_uncached_in_memory()
    assert [p.name for p in directory.glob("gazetteer-*.pickle")] == [
        gazetteer_cache.cache_path().name  # type: ignore[union-attr]
    ]


def test_cache_can_be_switched_off(
    cache_dir: tuple[Path, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    directory, builds = cache_dir
    monkeypatch.setenv("RN_GAZETTEER_CACHE", "off")
    load_uncached_in_memory()
    load_uncached_in_memory()
    assert builds == [1, 1]
    assert not list(directory.iterdir())
