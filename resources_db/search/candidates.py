"""Candidates (entry id, lat, lon) of a search: in boxes, in a state; their exact points."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from resources_db.search.backends import backend_of
from resources_db.search.filters import Filters


def box_candidates(
    session: Session, filters: Filters, boxes: list[tuple[float, float, float, float]]
) -> list[tuple[int, float, float]]:
    """The entries in these boxes that pass the filters (points as the back end has them)."""
    rows: list[tuple[int, float, float]] = []
    backend = backend_of(session)
    for min_lat, max_lat, min_lon, max_lon in boxes:
        box = {"min_lat": min_lat, "max_lat": max_lat, "min_lon": min_lon, "max_lon": max_lon}
        sql, params = backend.from_where(filters, box)
        select_sql = f"SELECT {backend.point_sql}" + sql
        rows.extend(backend.query(session, select_sql, params))
    return rows


def state_candidates(
    session: Session, filters: Filters, state: str
) -> list[tuple[int, float, float]]:
    """The located entries of a state that pass the filters (exact points)."""
    where, params = filters.column_sql()  # search_entry columns, on either back end
    sql = (
        "SELECT e.id, e.lat, e.lon FROM search_entry e"
        " WHERE e.state = :state AND e.lat IS NOT NULL" + where
    )
    backend = backend_of(session)
    return [tuple(row) for row in backend.query(session, sql, {"state": state, **params})]


def exact_points(
    session: Session,
    ids: Sequence[int],
    points: Mapping[int, tuple[float, float]],
    slack: float,
) -> dict[int, tuple[float, float]]:
    """The exact points of these entries: read from search_entry when the candidates'
    points are approximate (slack > 0), else the candidates' own."""
    if not slack:
        return {i: points[i] for i in ids}
    rows = backend_of(session).fetch(session, "lat, lon", ids)
    return {row[0]: (row[1], row[2]) for row in rows}
