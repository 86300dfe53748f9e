"""How many entries are within a radius, counted mostly by the database (latitude bands)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from resources_db.search.backends import Backend, backend_of
from resources_db.search.candidates import exact_points
from resources_db.search.filters import Filters
from resources_db.search.geometry import (
    EPS,
    bounding_boxes,
    geodesic_miles,
    inner_half_width,
    spherical_miles,
)

BANDS = 16


def count_within(
    session: Session, filters: Filters, lat: float, lon: float, radius: float
) -> int | None:
    """How many entries pass the filters within `radius` miles, without reading them all:
    the circle is cut into latitude bands; the part of each band surely inside is counted
    by the database, only the rim is read and measured. None if the box wraps around."""
    boxes = bounding_boxes(lat, lon, radius)
    if len(boxes) != 1 or boxes[0][3] - boxes[0][2] >= 360.0:
        return None
    backend = backend_of(session)
    counts, rims, params = _band_statements(backend, filters, lat, lon, radius, boxes[0])
    inside = 0
    if counts:
        inside = int(backend.query(session, "SELECT " + " + ".join(counts), params)[0][0] or 0)
    rim_rows = {
        row[0]: (row[1], row[2]) for row in backend.query(session, " UNION ALL ".join(rims), params)
    }
    return inside + _count_rim(session, backend, rim_rows, lat, lon, radius)


def _band_statements(
    backend: Backend,
    filters: Filters,
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
        width = inner_half_width(lat, radius * (1 - EPS), a, b)
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
    backend: Backend,
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
    points = exact_points(session, unsure, rim_rows, slack)
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
