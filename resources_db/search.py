"""Directory search (contract §3): nearest matching resources as cards.

How a search runs:
1. candidates come from the spatial index: on SQLite an R*Tree whose ids carry the filter
   masks and whose nodes place each entry within 0.01 mile (`search_rtree_need`, one
   row per entry and need, for a one-need search; `search_rtree` otherwise), so the tree
   walk touches only entries with the need and reads no table row; on PostgreSQL a
   bounding-box range on the indexed lat/lon of `search_entry`. Only the box around the
   radius is read, so cost follows the local density, not the directory's size;
2. a fast spherical distance sorts and bounds candidates; the exact geodesic distance
   (geopy) decides every candidate near the radius and orders every candidate that can
   reach the requested page, so the result is exactly "geodesic distance, then id";
3. if nothing matches, the search widens: larger radius (50, 100, 200 miles), then the
   whole state, then national lines for the needs, with `relaxed: true` and the query
   echo saying what was searched.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geographiclib.geodesic import Geodesic  # type: ignore[import-untyped]
from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from resources_db.cards import finish_card
from resources_db.geocode import Place, resolve_place, reverse_place
from resources_db.hours import is_open
from resources_db.models import SPATIAL_TABLE
from resources_db.search_index import (
    ENTRY_MASK,
    NEED_PAYMENT_SHIFT,
    NEED_POPULATION_SHIFT,
    NEED_SHIFT,
    NEED_SPACING,
    NEED_SPATIAL_TABLE,
    PAYMENT_SHIFT,
    POPULATION_SHIFT,
)
from resources_db.vocabulary import (
    INSURANCE_QUERY_VALUES,
    NEEDS,
    POPULATIONS,
    insurance_mask,
    mask_of,
)

DEFAULT_RADIUS = 25.0
MIN_RADIUS, MAX_RADIUS = 1.0, 200.0
DEFAULT_LIMIT, MAX_LIMIT = 10, 50
MAX_OFFSET = 10_000
RELAX_RADII = (50.0, 100.0, 200.0)
EARTH_MILES = 3958.7613
#: bound on |geodesic / spherical - 1| (the ellipsoid differs from the sphere by < 0.6 %)
EPS = 0.01
#: fewest miles in a degree of latitude (and, times cos(lat), of longitude) on WGS84
MILES_PER_DEGREE = 68.7
CHUNK = 500
#: On SQLite candidates are placed at the middle of their R*Tree box (read from the tree's
#: nodes, no row lookup); the box is the point padded by RTREE_PAD (1e-5 degrees) and
#: rounded outwards to 32-bit floats (at most 1.6e-5 degrees more at 180), so the middle is
#: within 1.6e-5 degrees of the point on each axis, under 0.0016 miles apart. Every
#: decision on such a point allows this many miles either way; close calls read the exact
#: point from search_entry.
POINT_SLACK = 0.01


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
    open_now: bool = False
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    #: the resolved `near` (filled by parse_search_params or search)
    place: Place | None = None


# --------------------------------------------------------------------------------------
# parsing and validation


def _number(params: Mapping[str, str], name: str) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise SearchError("invalid_number", f"{name} must be a number.", name) from None
    if not math.isfinite(value):
        raise SearchError("invalid_number", f"{name} must be a number.", name)
    return value


def _integer(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SearchError("invalid_number", f"{name} must be a whole number.", name) from None
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
    elif not (query.near or "").strip():
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
    if query.language is not None and not (
        len(query.language) == 2 and query.language.isalpha() and query.language.islower()
    ):
        raise SearchError(
            "invalid_language", "language must be a two-letter code such as es.", "language"
        )
    if not 1 <= query.limit <= MAX_LIMIT:
        raise SearchError("out_of_range", f"limit must be from 1 to {MAX_LIMIT}.", "limit")
    if not 0 <= query.offset <= MAX_OFFSET:
        raise SearchError("out_of_range", f"offset must be from 0 to {MAX_OFFSET}.", "offset")


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
        for name in ("insurance", "population", "language")
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
        open_now=_boolean(params, "open_now"),
        limit=_integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_integer(params, "offset", 0, 0, MAX_OFFSET),
    )
    validate_query(query)
    if query.lat is None and query.near:
        query.place = resolve_near(query.near)
    return query


# --------------------------------------------------------------------------------------
# geometry


def spherical_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere (fast; within EPS of the geodesic)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_MILES * math.asin(min(1.0, math.sqrt(h)))


_WGS84 = Geodesic.WGS84
_METRES_PER_MILE = 1609.344


def geodesic_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Exact WGS-84 geodesic distance.

    This is the computation `geopy.distance.geodesic(a, b).miles` performs (geopy delegates
    to geographiclib); calling geographiclib's Inverse with only the DISTANCE output skips
    geopy's point parsing and halves the cost on the search hot path. A test checks that
    both agree.
    """
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]) / (
        _METRES_PER_MILE
    )


def bounding_boxes(lat: float, lon: float, miles: float) -> list[tuple[float, float, float, float]]:
    """(min_lat, max_lat, min_lon, max_lon) boxes that hold every point within `miles`."""
    dlat = miles * (1 + EPS) / MILES_PER_DEGREE
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.0:
        return [(min_lat, max_lat, -180.0, 180.0)]
    dlon = dlat / math.cos(math.radians(widest))
    if dlon >= 180.0:
        return [(min_lat, max_lat, -180.0, 180.0)]
    west, east = lon - dlon, lon + dlon
    if west < -180.0:
        return [(min_lat, max_lat, west + 360.0, 180.0), (min_lat, max_lat, -180.0, east)]
    if east > 180.0:
        return [(min_lat, max_lat, west, 180.0), (min_lat, max_lat, -180.0, east - 360.0)]
    return [(min_lat, max_lat, west, east)]


# --------------------------------------------------------------------------------------
# candidate retrieval


@dataclass(frozen=True)
class _Filters:
    need_mask: int
    payment_mask: int
    population_mask: int
    language: str | None
    #: the need's index when exactly one need is asked (SQLite then walks the need tree)
    need_index: int | None = None

    @classmethod
    def of(cls, query: SearchQuery) -> _Filters:
        return cls(
            need_mask=mask_of(query.needs, NEEDS),
            payment_mask=insurance_mask(query.insurance) if query.insurance else 0,
            population_mask=mask_of([query.population], POPULATIONS) if query.population else 0,
            language=query.language,
            need_index=NEEDS.index(query.needs[0]) if len(query.needs) == 1 else None,
        )

    def column_sql(self) -> tuple[str, dict[str, Any]]:
        """Filter conditions on the columns of search_entry `e` (on either back end)."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        for name in _MASKS:
            value = getattr(self, name)
            if value:
                clauses.append(f"(e.{name} & :{name}) != 0")
                params[name] = value
        self.add_language(clauses, params)
        return _and_all(clauses), params

    def add_language(self, clauses: list[str], params: dict[str, Any]) -> None:
        """The language condition (a column of search_entry `e`), when one is asked."""
        if self.language:
            clauses.append("e.languages LIKE :language")
            params["language"] = f"%,{self.language},%"


_MASKS = ("need_mask", "payment_mask", "population_mask")


def _and_all(clauses: list[str]) -> str:
    return "".join(f" AND {c}" for c in clauses)


class _Backend:
    """How search reads one database: its candidate SQL, its point precision, its driver.

    In the SQL of a candidate, `point_sql` is the entry id, latitude and longitude;
    `lat_sql` / `lon_sql` stand for the point in conditions (`@lat`, `@lon`).
    """

    #: miles a candidate's point may be off (see POINT_SLACK)
    slack: float = 0.0
    id_sql = "e.id"
    lat_sql = "e.lat"
    lon_sql = "e.lon"

    @property
    def point_sql(self) -> str:
        return f"{self.id_sql}, {self.lat_sql}, {self.lon_sql}"

    def from_where(
        self, filters: _Filters, box: dict[str, float], lat_range: str = ""
    ) -> tuple[str, dict[str, Any]]:
        """FROM … WHERE … selecting entries in `box` that pass the filters.

        `lat_range` adds conditions on the point (`@lat`, `@lon`), e.g. a half-open
        latitude band.
        """
        sql, where, params = self._box_sql(filters)
        point_sql = lat_range.replace("@lat", self.lat_sql).replace("@lon", self.lon_sql)
        return sql + where + point_sql, {**box, **params}

    def _box_sql(self, filters: _Filters) -> tuple[str, str, dict[str, Any]]:
        raise NotImplementedError

    def inner_condition(self, band: str, i: int, upper: str) -> str:
        """Condition for the entries of band `i` (`band`: its latitude condition) that lie
        in the part surely inside the circle, longitudes `:l{i}` to `:r{i}`."""
        return band + f" AND @lon BETWEEN :l{i} AND :r{i}"

    def query(self, session: Session, sql: str, params: Mapping[str, Any]) -> list[Any]:
        """Rows of a read-only search statement (named parameters, e.g. `:min_lat`)."""
        return list(session.execute(_sql(sql), params))

    def fetch(self, session: Session, columns: str, ids: Sequence[int]) -> list[Any]:
        """`id, columns` of these search_entry rows, CHUNK ids per statement."""
        rows: list[Any] = []
        for start in range(0, len(ids), CHUNK):
            part = [int(i) for i in ids[start : start + CHUNK]]
            rows.extend(self._fetch_part(session, columns, part))
        return rows

    def _fetch_part(self, session: Session, columns: str, part: list[int]) -> list[Any]:
        return list(session.execute(_fetch_sql(columns), {"ids": part}))


class _PostgresBackend(_Backend):
    """PostgreSQL (any database but SQLite): a range on the indexed lat/lon of search_entry,
    filters on its mask columns, exact points."""

    def _box_sql(self, filters: _Filters) -> tuple[str, str, dict[str, Any]]:
        where, params = filters.column_sql()
        sql = (
            " FROM search_entry e WHERE e.lat BETWEEN :min_lat AND :max_lat"
            " AND e.lon BETWEEN :min_lon AND :max_lon"
        )
        return sql, where, params


class _SqliteBackend(_Backend):
    """SQLite: the R*Tree finds the box and its ids carry the filter masks; a candidate's
    point is the middle of its tree box, read from the tree's node (the exact point is an
    auxiliary column: a lookup per row), so it is POINT_SLACK miles off at most."""

    slack = POINT_SLACK
    id_sql = f"(r.id & {ENTRY_MASK})"
    lat_sql = "((r.min_lat + r.max_lat) / 2)"
    lon_sql = "((r.min_lon + r.max_lon) / 2)"

    def _box_sql(self, filters: _Filters) -> tuple[str, str, dict[str, Any]]:
        where, params = self._filter_sql(filters)
        join = f" JOIN search_entry e ON e.id = (r.id & {ENTRY_MASK})" if filters.language else ""
        sql = (
            f" FROM {self._spatial_table(filters)} r{join}"
            " WHERE r.max_lat >= :min_lat AND r.min_lat <= :max_lat"
            " AND r.max_lon >= :min_lon AND r.min_lon <= :max_lon"
        )
        return sql, where, params

    @staticmethod
    def _spatial_table(filters: _Filters) -> str:
        """The R*Tree to walk: the need tree holds only the asked need's entries. Several
        needs ("any of") use the main tree, so each entry is seen and counted once."""
        return SPATIAL_TABLE if filters.need_index is None else NEED_SPATIAL_TABLE

    @staticmethod
    def _filter_sql(filters: _Filters) -> tuple[str, dict[str, Any]]:
        """Filter conditions on the bits of the R*Tree id (the language on its column)."""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        shifts = {
            "need_mask": NEED_SHIFT,
            "payment_mask": PAYMENT_SHIFT,
            "population_mask": POPULATION_SHIFT,
        }
        if filters.need_index is not None:
            clauses.append("r.min_need <= :need_at AND r.max_need >= :need_at")
            params["need_at"] = filters.need_index * NEED_SPACING
            shifts = {"payment_mask": NEED_PAYMENT_SHIFT, "population_mask": NEED_POPULATION_SHIFT}
        for name, shift in shifts.items():
            value = getattr(filters, name)
            if value:
                clauses.append(f"((r.id >> {shift}) & :{name}) != 0")
                params[name] = value
        filters.add_language(clauses, params)
        return _and_all(clauses), params

    def inner_condition(self, band: str, i: int, upper: str) -> str:
        # the entry's whole tree box (the tree's own coordinates, rounded outwards) lies in
        # the inner part, so no row needs to be read
        return (
            f" AND r.min_lat >= :a{i} AND r.max_lat {upper} :b{i}"
            f" AND r.min_lon >= :l{i} AND r.max_lon <= :r{i}"
        )

    def query(self, session: Session, sql: str, params: Mapping[str, Any]) -> list[Any]:
        return list(_driver(session).execute(sql, params).fetchall())

    def _fetch_part(self, session: Session, columns: str, part: list[int]) -> list[Any]:
        marks = ",".join("?" * len(part))
        sql = f"SELECT id, {columns} FROM search_entry WHERE id IN ({marks})"
        return list(_driver(session).execute(sql, part).fetchall())


_SQLITE = _SqliteBackend()
_POSTGRES = _PostgresBackend()


def _backend_of(session: Session) -> _Backend:
    return _SQLITE if session.get_bind().dialect.name == "sqlite" else _POSTGRES


@lru_cache(maxsize=512)
def _sql(statement: str) -> TextClause:
    """Parsed SQL, kept: the same few statement shapes repeat for every search."""
    return text(statement)


@lru_cache(maxsize=16)
def _fetch_sql(columns: str) -> TextClause:
    # one statement text per list length, so the driver's prepared statements are reused
    return text(f"SELECT id, {columns} FROM search_entry WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )


def _driver(session: Session) -> Any:
    """The session's sqlite3 connection, for the hot reads of search: on these small
    reads SQLAlchemy's statement and row handling cost about as much as SQLite's own work
    (the driver keeps each prepared statement by its text). Same transaction as the
    session."""
    return session.connection().connection.driver_connection


def _box_candidates(
    session: Session, filters: _Filters, boxes: list[tuple[float, float, float, float]]
) -> list[tuple[int, float, float]]:
    rows: list[tuple[int, float, float]] = []
    backend = _backend_of(session)
    for min_lat, max_lat, min_lon, max_lon in boxes:
        box = {"min_lat": min_lat, "max_lat": max_lat, "min_lon": min_lon, "max_lon": max_lon}
        sql, params = backend.from_where(filters, box)
        select_sql = f"SELECT {backend.point_sql}" + sql
        rows.extend(backend.query(session, select_sql, params))
    return rows


def _inner_half_width(lat0: float, inner_miles: float, a: float, b: float) -> float | None:
    """Half-width in degrees of longitude of the band [a, b] that lies surely inside the
    circle (spherical radius `inner_miles`); None when no part of the band does.

    On a sphere the farthest point of a latitude/longitude box from a point is a corner, so
    the width comes from the two corners' latitudes.
    """
    hav_theta = math.sin(inner_miles / EARTH_MILES / 2) ** 2
    phi0 = math.radians(lat0)
    widths = []
    for corner in (a, b):
        phi = math.radians(corner)
        hav_dphi = math.sin((phi - phi0) / 2) ** 2
        if hav_dphi >= hav_theta:
            return None
        hav_dlon = (hav_theta - hav_dphi) / (math.cos(phi0) * math.cos(phi))
        if hav_dlon >= 1:
            return None
        widths.append(math.degrees(2 * math.asin(math.sqrt(hav_dlon))))
    return min(widths) * (1 - 1e-9)


BANDS = 16


def _count_within(
    session: Session, filters: _Filters, lat: float, lon: float, radius: float
) -> int | None:
    """How many entries pass the filters within `radius` miles, without reading them all:
    the circle is cut into latitude bands; the part of each band surely inside is counted
    by the database, only the rim is read and measured. None if the box wraps around."""
    boxes = bounding_boxes(lat, lon, radius)
    if len(boxes) != 1 or boxes[0][3] - boxes[0][2] >= 360.0:
        return None
    backend = _backend_of(session)
    counts, rims, params = _band_statements(backend, filters, lat, lon, radius, boxes[0])
    inside = 0
    if counts:
        inside = int(backend.query(session, "SELECT " + " + ".join(counts), params)[0][0] or 0)
    rim_rows = {
        row[0]: (row[1], row[2]) for row in backend.query(session, " UNION ALL ".join(rims), params)
    }
    return inside + _count_rim(session, backend, rim_rows, lat, lon, radius)


def _band_statements(
    backend: _Backend,
    filters: _Filters,
    lat: float,
    lon: float,
    radius: float,
    box: tuple[float, float, float, float],
) -> tuple[list[str], list[str], dict[str, Any]]:
    """Per latitude band of `box`: a count of the part surely inside the circle (when the
    band has one) and a select of the rim, all sharing one parameter dict."""
    min_lat, max_lat, min_lon, max_lon = box
    edges = [min_lat + (max_lat - min_lat) * i / BANDS for i in range(BANDS + 1)]
    counts, rims, params_all = [], [], {}
    for i in range(BANDS):
        a, b = edges[i], edges[i + 1]
        upper = "<=" if i == BANDS - 1 else "<"
        band = f" AND @lat >= :a{i} AND @lat {upper} :b{i}"
        band_box = {"min_lat": a, "max_lat": b, "min_lon": min_lon, "max_lon": max_lon}
        params_all.update({f"a{i}": a, f"b{i}": b})
        width = _inner_half_width(lat, radius * (1 - EPS), a, b)
        rim_band = band
        if width is not None:
            inner_cond = backend.inner_condition(band, i, upper)
            inner = {**band_box, "min_lon": lon - width, "max_lon": lon + width}
            sql, params = backend.from_where(filters, inner, inner_cond)
            counts.append(_suffixed(f"(SELECT count(*){sql})", params, i))
            params_all.update(_suffixed_params(params, i))
            params_all.update({f"l{i}": lon - width, f"r{i}": lon + width})
            rim_band = f" AND NOT ({inner_cond[5:]})" + band
        # the rim: the band's entries not counted above (entries whose tree box straddles
        # a band edge are in the rim too, which is why the whole band is read)
        sql, params = backend.from_where(filters, band_box, rim_band)
        rims.append(_suffixed(f"SELECT {backend.point_sql}{sql}", params, i, "x"))
        params_all.update(_suffixed_params(params, i, "x"))
    return counts, rims, params_all


def _count_rim(
    session: Session,
    backend: _Backend,
    rim_rows: Mapping[int, tuple[float, float]],
    lat: float,
    lon: float,
    radius: float,
) -> int:
    """How many rim entries are within `radius`: surely in or out by the spherical
    distance, else by the geodesic distance to their exact point."""
    slack = backend.slack
    inside = 0
    unsure = []
    for entry_id, (clat, clon) in rim_rows.items():
        approx = spherical_miles(lat, lon, clat, clon)
        if approx + slack <= radius * (1 - EPS):
            inside += 1
        elif approx - slack <= radius * (1 + EPS):
            unsure.append(entry_id)
    points = _exact_points(session, unsure, rim_rows, slack)
    return inside + sum(
        1 for plat, plon in points.values() if geodesic_miles(lat, lon, plat, plon) <= radius
    )


_BOX_KEYS = ("min_lat", "max_lat", "min_lon", "max_lon")


def _suffixed(sql: str, params: dict[str, Any], i: int, tag: str = "") -> str:
    """Rename the box parameters of one band's SQL so several bands share one statement."""
    for key in _BOX_KEYS:
        sql = sql.replace(f":{key}", f":{key}_{tag}{i}")
    return sql


def _suffixed_params(params: dict[str, Any], i: int, tag: str = "") -> dict[str, Any]:
    return {(f"{k}_{tag}{i}" if k in _BOX_KEYS else k): v for k, v in params.items()}


def _state_candidates(
    session: Session, filters: _Filters, state: str
) -> list[tuple[int, float, float]]:
    where, params = filters.column_sql()  # search_entry columns, on either back end
    sql = (
        "SELECT e.id, e.lat, e.lon FROM search_entry e"
        " WHERE e.state = :state AND e.lat IS NOT NULL" + where
    )
    backend = _backend_of(session)
    return [tuple(row) for row in backend.query(session, sql, {"state": state, **params})]


def _exact_points(
    session: Session,
    ids: Sequence[int],
    points: Mapping[int, tuple[float, float]],
    slack: float,
) -> dict[int, tuple[float, float]]:
    """The exact points of these entries: read from search_entry when the candidates'
    points are approximate (slack > 0), else the candidates' own."""
    if not slack:
        return {i: points[i] for i in ids}
    rows = _backend_of(session).fetch(session, "lat, lon", ids)
    return {row[0]: (row[1], row[2]) for row in rows}


# --------------------------------------------------------------------------------------
# ranking


@dataclass
class _Ranked:
    total: int
    cards: list[dict[str, Any]]


#: a candidate within the radius: (spherical miles, lat, lon) by entry id
_Inside = dict[int, tuple[float, float, float]]


def _rank(
    session: Session,
    candidates: list[tuple[int, float, float]],
    lat: float,
    lon: float,
    radius: float | None,
    query: SearchQuery,
    now: dt.datetime,
    slack: float,
) -> _Ranked:
    """The page among `candidates` (id, lat, lon; points within `slack` miles)."""
    inside, exact_of = _within(session, candidates, lat, lon, radius, slack)
    opens: dict[int, bool | None] = {}
    if query.open_now and inside:
        inside, opens = _open_only(session, inside, now)
    total = len(inside)
    wanted = query.offset + query.limit
    if total == 0 or query.offset >= total:
        return _Ranked(total, [])
    ids = _page_reach(inside, wanted, slack)
    cards = _cards(session, ids, lat, lon, exact_of, opens, now)
    cards.sort(key=lambda item: (item[0], item[1]))
    return _Ranked(total, [card for _, _, card in cards[query.offset : wanted]])


def _within(
    session: Session,
    candidates: list[tuple[int, float, float]],
    lat: float,
    lon: float,
    radius: float | None,
    slack: float,
) -> tuple[_Inside, dict[int, float]]:
    """The candidates within `radius` (all when None), and the exact geodesic miles of
    those that needed it to decide."""
    inside: _Inside = {}
    unsure: set[int] = set()
    for entry_id, clat, clon in candidates:
        approx = spherical_miles(lat, lon, clat, clon)
        if radius is not None:
            if approx - slack > radius * (1 + EPS):
                continue
            if approx + slack >= radius * (1 - EPS):
                unsure.add(entry_id)
        inside[entry_id] = (approx, clat, clon)
    exact_of: dict[int, float] = {}
    if unsure:
        points = {i: inside[i][1:] for i in unsure}
        for entry_id, (plat, plon) in _exact_points(session, list(unsure), points, slack).items():
            exact = geodesic_miles(lat, lon, plat, plon)
            if radius is not None and exact > radius:
                del inside[entry_id]
            else:
                exact_of[entry_id] = exact
    return inside, exact_of


def _open_only(
    session: Session, inside: _Inside, now: dt.datetime
) -> tuple[_Inside, dict[int, bool | None]]:
    """The entries open at `now`, and whether each entry read is open."""
    opens: dict[int, bool | None] = {}
    rows = _backend_of(session).fetch(session, "hours_spec, timezone", list(inside))
    for entry_id, spec, zone in rows:
        opens[entry_id] = is_open(json.loads(spec) if spec else None, zone, now)
    return {k: v for k, v in inside.items() if opens.get(k)}, opens


def _page_reach(inside: _Inside, wanted: int, slack: float) -> list[int]:
    """The entries that can be among the `wanted` nearest (nearest first, approximately)."""
    by_approx = sorted(inside.items(), key=lambda item: item[1][0])
    if len(inside) > wanted:
        # the wanted-th entry is at most (a + slack)(1 + EPS) away; an entry whose
        # distance is surely larger cannot be on the page
        limit = by_approx[wanted - 1][1][0] + slack
        threshold = limit * (1 + EPS) / (1 - EPS) + slack
        by_approx = [item for item in by_approx if item[1][0] <= threshold]
    return [entry_id for entry_id, _ in by_approx]


def _cards(
    session: Session,
    ids: list[int],
    lat: float,
    lon: float,
    exact_of: Mapping[int, float],
    opens: Mapping[int, bool | None],
    now: dt.datetime,
) -> list[tuple[float, str, dict[str, Any]]]:
    """(geodesic miles, card id, finished card) of these entries."""
    rows = _backend_of(session).fetch(session, "card, hours_spec, timezone, lat, lon", ids)
    cards = []
    for entry_id, card_json, spec, zone, elat, elon in rows:
        miles = exact_of.get(entry_id)
        if miles is None:
            miles = geodesic_miles(lat, lon, elat, elon)
        card = json.loads(card_json)
        open_now = (
            opens[entry_id]
            if entry_id in opens
            else (is_open(json.loads(spec) if spec else None, zone, now))
        )
        cards.append((miles, card["id"], finish_card(card, miles, open_now)))
    return cards


#: the first box searched is this share of the radius (at least FIRST_BOX_MIN_MILES)
FIRST_BOX_SHARE = 0.25
FIRST_BOX_MIN_MILES = 2.0
#: when the first box suggests at most this many matches in the radius, read them all
FULL_READ_MAX = 5000
#: when the first box already holds the page, the total still needs the whole radius:
#: read it too if the first box suggests at most this many matches, else count them
COUNT_READ_MAX = 2000


def _radius_search(
    session: Session,
    filters: _Filters,
    lat: float,
    lon: float,
    radius: float,
    query: SearchQuery,
    now: dt.datetime,
) -> _Ranked:
    """The page within `radius`, reading a box that grows until it surely holds the page.

    A box around the radius r holds every entry closer than r; once at least offset+limit
    entries are surely closer than r, no entry outside the box can be on the page, and the
    total comes from `_count_within`. When the first box shows the radius holds few matches
    (or `open_now` needs every entry's hours), the whole radius is read at once.
    """
    wanted = query.offset + query.limit
    slack = _backend_of(session).slack
    box = min(radius, max(radius * FIRST_BOX_SHARE, FIRST_BOX_MIN_MILES))
    if query.open_now:
        box = radius
    while True:
        candidates = _box_candidates(session, filters, bounding_boxes(lat, lon, box))
        if box >= radius:
            return _rank(session, candidates, lat, lon, radius, query, now, slack)
        sure = box * (1 - EPS) - slack
        near = sum(
            1 for _, clat, clon in candidates if spherical_miles(lat, lon, clat, clon) <= sure
        )
        estimate = len(candidates) * (radius / box) ** 2
        if near >= wanted:
            if estimate > COUNT_READ_MAX:
                break
            box = radius  # reading the few matches costs less than counting them
            continue
        box = radius if estimate <= FULL_READ_MAX else min(radius, box * 2)
    total = _count_within(session, filters, lat, lon, radius)
    if total is None:
        candidates = _box_candidates(session, filters, bounding_boxes(lat, lon, radius))
        return _rank(session, candidates, lat, lon, radius, query, now, slack)
    ranked = _rank(session, candidates, lat, lon, radius, query, now, slack)
    return _Ranked(total, ranked.cards)


def _national(session: Session, query: SearchQuery) -> _Ranked:
    need = mask_of(query.needs, NEEDS)
    sql = "SELECT id, card FROM search_entry WHERE national = :yes"
    params: dict[str, Any] = {"yes": True}
    if need:
        sql += " AND (need_mask & :need) != 0"
        params["need"] = need
    rows = list(session.execute(_sql(sql + " ORDER BY id"), params))
    cards = [finish_card(json.loads(card), None, None) for _, card in rows]
    return _Ranked(len(cards), cards[query.offset : query.offset + query.limit])


# --------------------------------------------------------------------------------------
# the search


def _echo(
    query: SearchQuery,
    place: dict[str, Any],
    radius: float | None,
    scope: str,
    state: str | None,
) -> dict[str, Any]:
    return {
        "need": list(query.needs),
        "near": place,
        "radius_miles": radius,
        "insurance": query.insurance,
        "population": query.population,
        "language": query.language,
        "open_now": query.open_now,
        "limit": query.limit,
        "offset": query.offset,
        "scope": scope,
        "state": state,
    }


def _place_of(query: SearchQuery) -> tuple[float, float, str | None, str | None]:
    """(lat, lon, label, state) of the search point."""
    if query.lat is not None and query.lon is not None:
        try:
            found = reverse_place(query.lat, query.lon)
            return query.lat, query.lon, found.label, found.state
        except Exception:  # a point far from any ZIP still searches; it just has no label
            return query.lat, query.lon, None, None
    place = query.place or resolve_near(query.near or "")
    query.place = place
    return place.lat, place.lon, place.label, place.state


def _clean_radius(radius: float) -> float | int:
    return int(radius) if float(radius).is_integer() else radius


def search(session: Session, query: SearchQuery, now: dt.datetime | None = None) -> dict[str, Any]:
    """Contract §3 body: {query, total, relaxed, resources}. Raises SearchError."""
    validate_query(query)
    now = now or dt.datetime.now(dt.UTC)
    lat, lon, label, state = _place_of(query)
    near = {"label": label, "lat": lat, "lon": lon}
    filters = _Filters.of(query)

    def body(ranked: _Ranked, radius: float | None, scope: str, relaxed: bool) -> dict[str, Any]:
        echo_radius = _clean_radius(radius) if radius is not None else None
        return {
            "query": _echo(query, near, echo_radius, scope, state if scope == "state" else None),
            "total": ranked.total,
            "relaxed": relaxed,
            "resources": ranked.cards,
        }

    radius = query.radius_miles
    ranked = _radius_search(session, filters, lat, lon, radius, query, now)
    if ranked.total:
        return body(ranked, radius, "radius", False)
    for wider in (r for r in RELAX_RADII if r > radius):
        ranked = _radius_search(session, filters, lat, lon, wider, query, now)
        if ranked.total:
            return body(ranked, wider, "radius", True)
    if state:
        candidates = _state_candidates(session, filters, state)
        ranked = _rank(session, candidates, lat, lon, None, query, now, 0.0)
        if ranked.total:
            return body(ranked, None, "state", True)
    return body(_national(session, query), None, "national", True)
