"""Turn what a person types ("21201", "near towson md", "Springfield") into a place, offline.

Public API (see docs/architecture.md): :func:`resolve_place`, :func:`reverse_place`,
:class:`Place` and :class:`PlaceLookup`.
How names are matched, ranked and fuzzily corrected is described in docs/geocoding.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from rapidfuzz import fuzz, process

from resources_db.gazetteer import (
    COMMON_WORD_PLACE_NAMES,
    WORDLIKE_STATE_CODES,
    CityRecord,
    Gazetteer,
    StateRecord,
    ZipRecord,
    expand_abbreviations,
    load_gazetteer,
    tokenize,
)

PlaceKind = Literal["zip", "city", "state", "point"]

# Longer input is a sentence or a paste, not a place; it is not searched (and stays fast).
MAX_INPUT_CHARS = 160
# Only the last words can name the place ("... I'm staying in Towson, MD").
MAX_WORDS = 12
# At most this many candidates are offered for an ambiguous name.
MAX_CANDIDATES = 5
# A name shared by several places resolves to the most populous one only when it is at least
# this many times more populous than the next (Portland OR / Portland ME is 9.8: ambiguous;
# Kansas City MO / KS 3.1: ambiguous; Chicago IL has no rival: found).
DOMINANCE_RATIO = 10.0
# Population assumed for a place missing from geonames' list of cities of 15,000+ people:
# such same-named rivals are mostly villages and small towns (Baltimore, OH; Annapolis, MO),
# so a listed city of 30,000+ wins over them (Hagerstown, MD; Annapolis, MD).
UNLISTED_POPULATION_ESTIMATE = 3_000
# A city that shares its name with a state wins over the state only when this large
# ("New York" is New York City; "Washington" is asked about; "Indiana" is the state).
STATE_NAME_CITY_MIN_POPULATION = 500_000
# rapidfuzz ratio (0-100) a misspelling must reach: "baltimor" scores 94, "philadelpia" 96.
FUZZY_CUTOFF = 88.0
FUZZY_MIN_CHARS = 5
# Within a named state: "towsen md" (Towson) scores 83.
FUZZY_IN_STATE_CUTOFF = 80.0


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words people put around a place name ("I'm in", "near", "my zip is"), dropped from the start.
LEADING_FILLER = _words(
    "i im am in near around by at from zip zipcode code postal my is its it live living"
    " located location currently right now stay staying close to outside of the area city"
    " town somewhere hi hello hey ok okay yes yeah yep well um uh so we were are me just"
    " here and but not far gonna going go get be"
)
# ... and from the end ("Baltimore area please").
TRAILING_FILLER = _words(
    "area region metro please pls plz thanks thx thank you today tonight now right here"
)
# Words that introduce a place inside a longer sentence ("I need detox in Towson").
INTRODUCERS = frozenset({"in", "near", "around", "by", "at", "from", "to", "outside", "of", ",",
                         # Spanish: "en Houston", "cerca de Houston"
                         "en", "de", "cerca"})
# Never a place on their own, even as the whole answer: what a person may say about their
# situation, what they need, their insurance, language or group ("home", "a bed", "Kaiser",
# "English", "gay" – all also names of small US places).
NEVER_ALONE = _words(
    "home help hope bed house sober clean rehab detox recovery shelter center treatment care"
    " safe here there nowhere outside street streets car work jail prison hospital woods"
    " kaiser aetna cigna humana medicaid medicare tricare english spanish navajo ojibwa"
    " gay lesbian women men veteran veterans youth teen"
)

# Abbreviations of "county" after a county's name ("Baltimore Co", "Anne Arundel Cnty").
COUNTY_ABBREVIATIONS = frozenset({"co", "cnty", "cty"})

_ZIP_PATTERN = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")


@dataclass(frozen=True)
class Place:
    """A resolved place. ``state`` is a USPS code; ``label`` is what a person reads."""

    label: str
    lat: float
    lon: float
    kind: PlaceKind
    city: str | None = None
    state: str | None = None
    zip: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PlaceLookup:
    """Result of :func:`resolve_place`: ``place`` is set only when ``status == "found"``."""

    status: Literal["found", "ambiguous", "unknown"]
    place: Place | None
    candidates: list[Place] = field(default_factory=list)


def resolve_place(text: str) -> PlaceLookup:
    """Find the ZIP, city or state a person means. Offline; never raises for any string."""
    if not isinstance(text, str):
        return _unknown()
    text = text.strip()
    if not text or len(text) > MAX_INPUT_CHARS:
        return _unknown()
    gazetteer = load_gazetteer()
    by_zip = _match_zip(gazetteer, text)
    if by_zip is not None:
        return by_zip
    words = expand_abbreviations(tokenize(text))[-MAX_WORDS:]
    words = expand_county_abbreviations(gazetteer, _strip_trailing_filler(words))
    exact, state_only = _match_words(gazetteer, words)
    return exact or _match_fuzzy(gazetteer, words) or state_only or _unknown()


def expand_county_abbreviations(gazetteer: Gazetteer, words: list[str]) -> list[str]:
    """ "baltimore co" -> "baltimore county" when the gazetteer has that county.

    "co" is also Colorado's code: it stays a state after a Colorado city ("Denver co").
    """
    expanded = list(words)
    for index, word in enumerate(words):
        if word not in COUNTY_ABBREVIATIONS:
            continue
        for size in range(min(4, index), 0, -1):
            name_words = words[index - size : index]
            name = " ".join(name_words)
            if "," in name_words or f"{name} county" not in gazetteer.cities_by_name:
                continue
            if f"{name} {word}" in gazetteer.cities_by_name:
                break  # a USPS name written so ("Jefferson Cty, TN")
            if word != "co" or (name, "CO") not in gazetteer.cities:
                expanded[index] = "county"
            break
    return expanded


def reverse_place(lat: float, lon: float) -> Place:
    """The place at a point, labelled by the nearest ZIP ("Baltimore, MD 21201").

    Points outside the US still get the nearest US ZIP. Raises ValueError for coordinates
    that are not numbers or are out of range.
    """
    lat, lon = _checked_coordinates(lat, lon)
    return replace(zip_place(load_gazetteer().nearest_zip(lat, lon)), lat=lat, lon=lon,
                   kind="point")


# ---------------------------------------------------------------------------------------
# Places from gazetteer records


def zip_place(record: ZipRecord) -> Place:
    return Place(
        label=_zip_label(record),
        lat=record.lat,
        lon=record.lon,
        kind="zip",
        city=record.city,
        state=record.state,
        zip=record.zip,
    )


def city_place(record: CityRecord) -> Place:
    return Place(
        label=f"{record.name}, {record.state}",
        lat=record.lat,
        lon=record.lon,
        kind="city",
        city=record.name,
        state=record.state,
    )


def state_place(gazetteer: Gazetteer, record: StateRecord) -> Place:
    """A state; the District of Columbia is the city of Washington."""
    if record.code == "DC":
        washington = gazetteer.cities.get(("washington", "DC"))
        if washington is not None:
            return city_place(washington)
    return Place(label=record.name, lat=record.lat, lon=record.lon, kind="state", state=record.code)


def _zip_label(record: ZipRecord) -> str:
    return f"{record.city}, {record.state} {record.zip}"


def _found(place: Place) -> PlaceLookup:
    return PlaceLookup(status="found", place=place, candidates=[place])


def _unknown() -> PlaceLookup:
    return PlaceLookup(status="unknown", place=None, candidates=[])


def _ambiguous(places: Sequence[Place]) -> PlaceLookup:
    return PlaceLookup(status="ambiguous", place=None, candidates=list(places[:MAX_CANDIDATES]))


# ---------------------------------------------------------------------------------------
# Matching


def _match_zip(gazetteer: Gazetteer, text: str) -> PlaceLookup | None:
    """A known 5-digit ZIP (ZIP+4 allowed) anywhere in the text."""
    for match in _ZIP_PATTERN.finditer(text):
        record = gazetteer.zips.get(match.group(1))
        if record is not None:
            return _found(zip_place(record))
    return None


def _strip_trailing_filler(words: list[str]) -> list[str]:
    end = len(words)
    while end > 0 and words[end - 1] in TRAILING_FILLER | {","}:
        end -= 1
    return words[:end]


def _match_words(
    gazetteer: Gazetteer, words: list[str]
) -> tuple[PlaceLookup | None, PlaceLookup | None]:
    """Try the longest tail of the words first: "im in towson md" -> ... -> "towson md".

    Returns (match, state_only). A state reached only by dropping words ("towsen md" ->
    "md") is returned separately so that a fuzzy city match can still win over it.
    """
    state_only: PlaceLookup | None = None
    for start in range(len(words)):
        if words[start] == ",":
            continue
        tail = [w for w in words[start:] if w != ","]
        before = words[:start]
        whole = all(w in LEADING_FILLER or w == "," for w in before)
        if not whole:
            code = _standalone_state(gazetteer, " ".join(tail))
            if code is not None:
                state_only = state_only or _state_or_city(gazetteer, code, " ".join(tail))
                continue
        introduced = bool(before) and before[-1] in INTRODUCERS
        result = _match_phrase(gazetteer, tail, whole=whole, introduced=introduced)
        if result is not None:
            return result, state_only
    return None, state_only


def _match_phrase(
    gazetteer: Gazetteer, words: list[str], *, whole: bool, introduced: bool
) -> PlaceLookup | None:
    phrase = " ".join(words)
    alias = gazetteer.aliases.get(phrase)
    if alias is not None:
        return _found(city_place(alias))
    state_code = _standalone_state(gazetteer, phrase)
    if state_code is not None:
        return _state_or_city(gazetteer, state_code, phrase)
    with_state = _match_city_with_state(gazetteer, words)
    if with_state is not None:
        return with_state
    records = gazetteer.cities_by_name.get(phrase)
    if records and _acceptable_bare_city(words, records, whole=whole, introduced=introduced):
        return _decide(records)
    return None


def _standalone_state(gazetteer: Gazetteer, phrase: str) -> str | None:
    """A state named on its own: full name, or a USPS code that is not also a word."""
    code = gazetteer.state_names.get(phrase)
    if code is None and phrase not in WORDLIKE_STATE_CODES:
        code = gazetteer.state_codes.get(phrase)
    if code is None and phrase == "d c":
        code = "DC"
    return code


def _state_or_city(gazetteer: Gazetteer, code: str, phrase: str) -> PlaceLookup:
    """A state name, unless a very large city has the same name (New York, Washington)."""
    state = state_place(gazetteer, gazetteer.states[code])
    records = gazetteer.cities_by_name.get(phrase, [])
    big = [r for r in records if (r.population or 0) >= STATE_NAME_CITY_MIN_POPULATION]
    if not big:
        return _found(state)
    if big[0].state == code:
        return _found(city_place(big[0]))
    # "Washington State" rather than "Washington", so that choosing it resolves.
    state = replace(state, label=f"{state.label} State")
    return _ambiguous([city_place(r) for r in big] + [state])


def _match_city_with_state(gazetteer: Gazetteer, words: list[str]) -> PlaceLookup | None:
    """ "towson md", "baltimore maryland", "washington d c", "kansas city kansas"."""
    for city_words, code in _state_splits(gazetteer, words):
        record = gazetteer.cities.get((" ".join(city_words), code))
        if record is not None:
            return _found(city_place(record))
    return None


def _state_splits(gazetteer: Gazetteer, words: list[str]) -> Iterator[tuple[list[str], str]]:
    """Each way `words` end in a state (its name in up to four words, or a short
    abbreviation), the longest tail first: the words before the state, and its code."""
    for size in (4, 3, 2, 1):
        if len(words) <= size:
            continue
        code = _trailing_state(gazetteer, " ".join(words[-size:]), size)
        if code is not None:
            yield words[:-size], code


def _trailing_state(gazetteer: Gazetteer, tail: str, size: int) -> str | None:
    code = gazetteer.state_names.get(tail)
    if code is None and size <= 2:
        code = gazetteer.state_abbreviations.get(tail)
    return code


def _acceptable_bare_city(
    words: list[str], records: list[CityRecord], *, whole: bool, introduced: bool
) -> bool:
    """Whether a city name without a state is believable as the place meant.

    A name that is also a common word counts only as the whole answer and only for a city
    of 15,000+ people ("Independence" yes, "hope" or "home" never). Inside a longer sentence
    a name counts when introduced ("detox in towson") or when it names a sizeable city.
    """
    notable = records[0].population is not None
    if len(words) == 1 and (words[0] in NEVER_ALONE or len(words[0]) < 3):
        return False
    if len(words) == 1 and words[0] in COMMON_WORD_PLACE_NAMES:
        return whole and notable
    return whole or introduced or notable


def _decide(records: list[CityRecord]) -> PlaceLookup:
    """One place, or the most populous few when no single one clearly dominates."""
    if len(records) == 1:
        return _found(city_place(records[0]))
    top, runner_up = records[0].population, records[1].population or UNLISTED_POPULATION_ESTIMATE
    if top is not None and top >= DOMINANCE_RATIO * runner_up:
        return _found(city_place(records[0]))
    return _ambiguous([city_place(r) for r in records])


def _match_fuzzy(gazetteer: Gazetteer, words: list[str]) -> PlaceLookup | None:
    """Small misspellings of sizeable cities ("baltimor") and of states ("marylnd")."""
    core = _strip_leading_filler(words)
    if not core:
        return None
    with_state = _fuzzy_city_in_state(gazetteer, core)
    if with_state is not None:
        return with_state
    for phrase in _fuzzy_phrases(core):
        result = _fuzzy_city_or_state(gazetteer, phrase)
        if result is not None:
            return result
    return None


def _fuzzy_phrases(core: list[str]) -> list[str]:
    """The whole answer, and the words after the last "in"/"near" ("detox near baltimre")."""
    phrases = [" ".join(core)]
    introducer = max((i for i, w in enumerate(core) if w in INTRODUCERS), default=-1)
    if 0 <= introducer < len(core) - 1:
        phrases.append(" ".join(core[introducer + 1 :]))
    return [p for p in phrases if len(p) >= FUZZY_MIN_CHARS]


def _fuzzy_city_or_state(gazetteer: Gazetteer, phrase: str) -> PlaceLookup | None:
    city = process.extractOne(
        phrase, gazetteer.notable_city_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
    )
    state = process.extractOne(
        phrase, list(gazetteer.state_names), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
    )
    if state is not None and (city is None or state[1] > city[1]):
        return _found(state_place(gazetteer, gazetteer.states[gazetteer.state_names[state[0]]]))
    if city is not None:
        return _decide(gazetteer.cities_by_name[city[0]])
    return None


def _fuzzy_city_in_state(gazetteer: Gazetteer, core: list[str]) -> PlaceLookup | None:
    """ "towsen md", "detox near baltimre md": a misspelt city before a well-written state.

    The state narrows the choice, so the cut-off is lower than for a city on its own.
    """
    for city_words, code in _state_splits(gazetteer, core):
        keys = gazetteer.city_keys_by_state.get(code, [])
        for count in range(min(3, len(city_words)), 0, -1):
            city_phrase = " ".join(city_words[-count:])
            if len(city_phrase) < FUZZY_MIN_CHARS - 1:
                continue
            match = process.extractOne(
                city_phrase, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_IN_STATE_CUTOFF
            )
            if match is not None:
                return _found(city_place(gazetteer.cities[(match[0], code)]))
    return None


def _strip_leading_filler(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) and (words[start] in LEADING_FILLER or words[start] == ","):
        start += 1
    return [w for w in words[start:] if w != ","]


def _checked_coordinates(lat: Any, lon: Any) -> tuple[float, float]:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError) as error:
        raise ValueError(f"coordinates must be numbers, got {lat!r}, {lon!r}") from error
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise ValueError("coordinates must be finite numbers")
    if not (-90.0 <= lat_f <= 90.0 and -180.0 <= lon_f <= 180.0):
        raise ValueError(f"coordinates out of range: {lat_f}, {lon_f}")
    return lat_f, lon_f
