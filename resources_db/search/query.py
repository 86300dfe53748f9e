"""A search's parameters: `SearchQuery`, and reading and checking them (`SearchError`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from resources_db.geocode import Place, resolve_place
from resources_db.meeting_time import parse_when
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS, POPULATIONS

T = TypeVar("T", int, float)

DEFAULT_RADIUS = 25.0
MIN_RADIUS, MAX_RADIUS = 1.0, 200.0
DEFAULT_LIMIT, MAX_LIMIT = 10, 50
MAX_OFFSET = 10_000
#: meeting type filters a search may ask (Meeting Guide codes; "LGBTQ" also matches G, L,
#: BI and T) and the fellowships a feed can say
MEETING_TYPE_FILTERS = ("O", "C", "S", "W", "M", "LGBTQ", "EN", "ASL", "Y", "BE")
FELLOWSHIPS = ("AA", "NA")
#: the languages the words on a card can be written in (`card_language`)
CARD_LANGUAGES = ("en", "es")


class SearchError(ValueError):
    """Bad search input; `code`, `message` and `field` go into the HTTP 400 body."""

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        candidates: Sequence[Place] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.candidates = list(candidates)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "field": self.field}


@dataclass
class SearchQuery:
    needs: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    near: str | None = None
    radius_miles: float = DEFAULT_RADIUS
    insurance: str | None = None
    population: str | None = None
    language: str | None = None
    #: services speaking this language first, the others after them (nothing filtered out)
    prefer_language: str | None = None
    #: the language of the words on the cards (hours, offers, meeting times): "en" or "es"
    card_language: str = "en"
    open_now: bool = False
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    #: the resolved `near` (filled by parse_search_params or search)
    place: Place | None = None
    #: meetings only (need mutual_aid): a time window key (meeting_time.parse_when), online
    #: meetings only (no place needed), Meeting Guide type codes (all required), fellowship
    when: str | None = None
    online: bool = False
    meeting_types: list[str] = field(default_factory=list)
    fellowship: str | None = None


def _parsed(
    params: Mapping[str, str], name: str, convert: Callable[[str], T], what: str
) -> T | None:
    """The parameter converted, None when it is absent or blank; `invalid_number` otherwise."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return convert(raw)
    except ValueError:
        raise SearchError("invalid_number", f"{name} must be {what}.", name) from None


def _number(params: Mapping[str, str], name: str) -> float | None:
    value = _parsed(params, name, float, "a number")
    if value is not None and not math.isfinite(value):
        raise SearchError("invalid_number", f"{name} must be a number.", name)
    return value


def _integer(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = _parsed(params, name, int, "a whole number")
    if value is None:
        return default
    if not low <= value <= high:
        raise SearchError("out_of_range", f"{name} must be from {low} to {high}.", name)
    return value


def _needs(raw: str) -> list[str]:
    needs = [part.strip().lower() for part in raw.split(",") if part.strip()]
    for need in needs:
        if need not in NEEDS:
            raise SearchError(
                "unknown_need",
                f"Unknown need {need!r}. Use one of: {', '.join(NEEDS)}.",
                "need",
            )
    return list(dict.fromkeys(needs))


def _boolean(params: Mapping[str, str], name: str) -> bool:
    raw = (params.get(name) or "").strip().lower()
    if raw in {"", "false", "0", "no"}:
        return False
    if raw in {"true", "1", "yes"}:
        return True
    raise SearchError("invalid_boolean", f"{name} must be true or false.", name)


def validate_query(query: SearchQuery) -> None:
    """Raise SearchError for anything a caller (HTTP or Python) got wrong."""
    for need in query.needs:
        if need not in NEEDS:
            raise SearchError("unknown_need", f"Unknown need {need!r}.", "need")
    if query.lat is not None or query.lon is not None:
        if query.lat is None or query.lon is None:
            name = "lon" if query.lon is None else "lat"
            raise SearchError("missing_parameter", "Give both lat and lon.", name)
        if not (math.isfinite(query.lat) and -90 <= query.lat <= 90):
            raise SearchError("out_of_range", "lat must be from -90 to 90.", "lat")
        if not (math.isfinite(query.lon) and -180 <= query.lon <= 180):
            raise SearchError("out_of_range", "lon must be from -180 to 180.", "lon")
    elif not (query.near or "").strip() and not query.online:
        raise SearchError(
            "missing_location", "Say where to search: a ZIP code, a city, or lat and lon.", "near"
        )
    if not (math.isfinite(query.radius_miles) and MIN_RADIUS <= query.radius_miles <= MAX_RADIUS):
        raise SearchError("out_of_range", "radius_miles must be from 1 to 200.", "radius_miles")
    if query.insurance is not None and query.insurance not in INSURANCE_QUERY_VALUES:
        raise SearchError(
            "unknown_insurance",
            f"insurance must be one of: {', '.join(INSURANCE_QUERY_VALUES)}.",
            "insurance",
        )
    if query.population is not None and query.population not in POPULATIONS:
        raise SearchError(
            "unknown_population",
            f"population must be one of: {', '.join(POPULATIONS)}.",
            "population",
        )
    for name in ("language", "prefer_language"):
        value = getattr(query, name)
        if value is not None and not (len(value) == 2 and value.isalpha() and value.islower()):
            raise SearchError(
                "invalid_language", f"{name} must be a two-letter code such as es.", name
            )
    if query.card_language not in CARD_LANGUAGES:
        raise SearchError(
            "invalid_language", "card_language must be en or es.", "card_language"
        )
    _validate_meeting_filters(query)
    if not 1 <= query.limit <= MAX_LIMIT:
        raise SearchError("out_of_range", f"limit must be from 1 to {MAX_LIMIT}.", "limit")
    if not 0 <= query.offset <= MAX_OFFSET:
        raise SearchError("out_of_range", f"offset must be from 0 to {MAX_OFFSET}.", "offset")


def _validate_meeting_filters(query: SearchQuery) -> None:
    if query.when is not None:
        try:
            parse_when(query.when)
        except ValueError:
            raise SearchError(
                "invalid_when",
                "when must be now, today, tonight, tomorrow or a weekday, optionally with "
                "_morning, _afternoon, _evening or _night (e.g. saturday_morning).",
                "when",
            ) from None
    for code in query.meeting_types:
        if code not in MEETING_TYPE_FILTERS:
            raise SearchError(
                "unknown_meeting_type",
                f"meeting_type must be among: {', '.join(MEETING_TYPE_FILTERS)}.",
                "meeting_type",
            )
    if query.fellowship is not None and query.fellowship not in FELLOWSHIPS:
        raise SearchError("unknown_fellowship", "fellowship must be AA or NA.", "fellowship")


def resolve_near(near: str) -> Place:
    """The place named by `near`, or SearchError unknown_place / ambiguous_place."""
    lookup = resolve_place(near)
    if lookup.status == "found" and lookup.place is not None:
        return lookup.place
    if lookup.status == "ambiguous":
        names = "; ".join(p.label for p in lookup.candidates[:5])
        raise SearchError(
            "ambiguous_place",
            f"More than one place is called {near.strip()!r}: {names}. Which one?",
            "near",
            lookup.candidates,
        )
    raise SearchError(
        "unknown_place",
        f"We could not find {near.strip()!r}. Try a ZIP code or a city and state.",
        "near",
    )


def parse_search_params(params: Mapping[str, str]) -> SearchQuery:
    """Validate the query string of GET /api/v1/search into a SearchQuery."""
    lat, lon = _number(params, "lat"), _number(params, "lon")
    radius = _number(params, "radius_miles")
    optional = {
        name: (params.get(name) or "").strip().lower() or None
        for name in ("insurance", "population", "language", "prefer_language")
    }
    query = SearchQuery(
        needs=_needs(params.get("need") or ""),
        lat=lat,
        lon=lon,
        near=(params.get("near") or "").strip() or None,
        radius_miles=DEFAULT_RADIUS if radius is None else radius,
        insurance=optional["insurance"],
        population=optional["population"],
        language=optional["language"],
        prefer_language=optional["prefer_language"],
        card_language=(params.get("card_language") or "").strip().lower() or "en",
        open_now=_boolean(params, "open_now"),
        limit=_integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_integer(params, "offset", 0, 0, MAX_OFFSET),
        when=(params.get("when") or "").strip().lower() or None,
        online=_boolean(params, "online"),
        meeting_types=[
            t.strip().upper() for t in (params.get("meeting_type") or "").split(",") if t.strip()
        ],
        fellowship=(params.get("fellowship") or "").strip().upper() or None,
    )
    validate_query(query)
    if query.lat is None and query.near:
        query.place = resolve_near(query.near)
    return query
