"""The databases search reads: SQLite (R*Tree) and PostgreSQL, one `Backend` object each."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.orm import Session

from resources_db.models import SPATIAL_TABLE
from resources_db.search.filters import Filters
from resources_db.search_rtree import (
    ENTRY_MASK,
    NEED_PAYMENT_SHIFT,
    NEED_POPULATION_SHIFT,
    NEED_SHIFT,
    NEED_SPACING,
    NEED_SPATIAL_TABLE,
    PAYMENT_SHIFT,
    POPULATION_SHIFT,
)

CHUNK = 500
#: On SQLite candidates are placed at the middle of their R*Tree box (read from the tree's
#: nodes, no row lookup); the box is the point padded by RTREE_PAD (1e-5 degrees) and
#: rounded outwards to 32-bit floats (at most 1.6e-5 degrees more at 180), so the middle is
#: within 1.6e-5 degrees of the point on each axis, under 0.0016 miles apart. Every
#: decision on such a point allows this many miles either way; close calls read the exact
#: point from search_entry.
POINT_SLACK = 0.01


class Backend(ABC):
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
        self, filters: Filters, box: dict[str, float], lat_range: str = ""
    ) -> tuple[str, dict[str, Any]]:
        """FROM … WHERE … selecting entries in `box` that pass the filters.

        `lat_range` adds conditions on the point (`@lat`, `@lon`), e.g. a half-open
        latitude band.
        """
        sql, where, params = self._box_sql(filters)
        point_sql = lat_range.replace("@lat", self.lat_sql).replace("@lon", self.lon_sql)
        return sql + where + point_sql, {**box, **params}

    @abstractmethod
    def _box_sql(self, filters: Filters) -> tuple[str, str, dict[str, Any]]:
        """FROM … WHERE on the box (`:min_lat` … `:max_lon`), the filter conditions and
        their parameters."""

    def inner_condition(self, band: str, i: int, upper: str) -> str:
        """Condition for the entries of band `i` (`band`: its latitude condition) that lie
        in the part surely inside the circle, longitudes `:l{i}` to `:r{i}`."""
        return band + f" AND @lon BETWEEN :l{i} AND :r{i}"

    def query(self, session: Session, sql: str, params: Mapping[str, Any]) -> list[Any]:
        """Rows of a read-only search statement (named parameters, e.g. `:min_lat`)."""
        return list(session.execute(parsed_sql(sql), params))

    def fetch(self, session: Session, columns: str, ids: Sequence[int]) -> list[Any]:
        """`id, columns` of these search_entry rows, CHUNK ids per statement."""
        rows: list[Any] = []
        for start in range(0, len(ids), CHUNK):
            part = [int(i) for i in ids[start : start + CHUNK]]
            rows.extend(self._fetch_part(session, columns, part))
        return rows

    def _fetch_part(self, session: Session, columns: str, part: list[int]) -> list[Any]:
        return list(session.execute(_fetch_sql(columns), {"ids": part}))


class PostgresBackend(Backend):
    """PostgreSQL (any database but SQLite): a range on the indexed lat/lon of search_entry,
    filters on its mask columns, exact points."""

    def _box_sql(self, filters: Filters) -> tuple[str, str, dict[str, Any]]:
        where, params = filters.column_sql()
        sql = (
            " FROM search_entry e WHERE e.lat BETWEEN :min_lat AND :max_lat"
            " AND e.lon BETWEEN :min_lon AND :max_lon"
        )
        return sql, where, params


class SqliteBackend(Backend):
    """SQLite: the R*Tree finds the box and its ids carry the filter masks; a candidate's
    point is the middle of its tree box, read from the tree's node (the exact point is an
    auxiliary column: a lookup per row), so it is POINT_SLACK miles off at most."""

    slack = POINT_SLACK
    id_sql = f"(r.id & {ENTRY_MASK})"
    lat_sql = "((r.min_lat + r.max_lat) / 2)"
    lon_sql = "((r.min_lon + r.max_lon) / 2)"

    def _box_sql(self, filters: Filters) -> tuple[str, str, dict[str, Any]]:
        where, params = self._filter_sql(filters)
        join = f" JOIN search_entry e ON e.id = (r.id & {ENTRY_MASK})" if filters.language else ""
        sql = (
            f" FROM {self._spatial_table(filters)} r{join}"
            " WHERE r.max_lat >= :min_lat AND r.min_lat <= :max_lat"
            " AND r.max_lon >= :min_lon AND r.min_lon <= :max_lon"
        )
        return sql, where, params

    @staticmethod
    def _spatial_table(filters: Filters) -> str:
        """The R*Tree to walk: the need tree holds only the asked need's entries. Several
        needs ("any of") use the main tree, so each entry is seen and counted once."""
        return SPATIAL_TABLE if filters.need_index is None else NEED_SPATIAL_TABLE

    @staticmethod
    def _filter_sql(filters: Filters) -> tuple[str, dict[str, Any]]:
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
        conditions = {name: f"((r.id >> {shift}) & :{name}) != 0" for name, shift in shifts.items()}
        return filters.mask_sql(conditions, clauses, params)

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


_SQLITE = SqliteBackend()
_POSTGRES = PostgresBackend()


def backend_of(session: Session) -> Backend:
    """The back end of the session's database."""
    return _SQLITE if session.get_bind().dialect.name == "sqlite" else _POSTGRES


@lru_cache(maxsize=512)
def parsed_sql(statement: str) -> TextClause:
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
