"""The SQLite R*Trees of the search index: how an entry's point and filter masks are encoded.

`search_rtree` has one row per entry; its integer id carries the filter masks next to the
entry id, so a search can filter on what the tree's nodes hold. `search_rtree_need` has one
row per (entry, need) with the need as a third dimension (migration 0003). Written only by
`search_index` (and the benchmark through `insert_spatial`); read by `search.backends`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text

from resources_db.models import SPATIAL_TABLE
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS

#: rtree boxes are stored as 32-bit floats; widen each point's box by this much (degrees)
RTREE_PAD = 1e-5

_RTREE_INSERT = text(
    f"INSERT INTO {SPATIAL_TABLE} (id, min_lat, max_lat, min_lon, max_lon,"
    " lat, lon, need_mask, payment_mask, population_mask) VALUES"
    " (:id, :min_lat, :max_lat, :min_lon, :max_lon, :lat, :lon,"
    " :need_mask, :payment_mask, :population_mask)"
)

#: SQLite only: a second R*Tree with one row per (entry, need) and the need as a third
#: dimension, so a search for one need walks only the entries that have it (migration 0003)
NEED_SPATIAL_TABLE = "search_rtree_need"
#: the need dimension of entry rows is [index * NEED_SPACING - 0.5, index * NEED_SPACING + 0.5]:
#: far apart, so the tree's nodes never mix needs; not flat, so node areas stay non-zero
#: and the R*Tree's area heuristics still cluster each need's entries by place
NEED_SPACING = 1000.0

_NEED_RTREE_INSERT = text(
    f"INSERT INTO {NEED_SPATIAL_TABLE} (id, min_lat, max_lat, min_lon, max_lon,"
    " min_need, max_need, lat, lon) VALUES"
    " (:id, :min_lat, :max_lat, :min_lon, :max_lon, :min_need, :max_need, :lat, :lon)"
)


#: The R*Tree's integer id carries the filter masks next to the entry id, so a search can
#: filter on what the tree's nodes hold (reading auxiliary columns costs a lookup per row):
#: bits 0-27 entry id, 28-40 needs, 41-50 payment, 51-59 populations.
ENTRY_BITS = 28
NEED_SHIFT = ENTRY_BITS
PAYMENT_SHIFT = NEED_SHIFT + 13
POPULATION_SHIFT = PAYMENT_SHIFT + 10
ENTRY_MASK = (1 << ENTRY_BITS) - 1
assert len(NEEDS) <= 13 and len(PAYMENT_VALUES) <= 10 and len(POPULATIONS) <= 9

#: ids in the need tree: bits 0-27 entry id, 28-31 the row's need index, 32-41 payment,
#: 42-50 populations (the need is the tree's third dimension, so no need mask)
NEED_INDEX_SHIFT = ENTRY_BITS
NEED_PAYMENT_SHIFT = NEED_INDEX_SHIFT + 4
NEED_POPULATION_SHIFT = NEED_PAYMENT_SHIFT + 10
assert len(NEEDS) <= 16


def rtree_id(entry_id: int, need_mask: int, payment_mask: int, population_mask: int) -> int:
    if entry_id > ENTRY_MASK:
        raise ValueError("search index full: more than 2^28 entries")
    return (
        entry_id
        | need_mask << NEED_SHIFT
        | payment_mask << PAYMENT_SHIFT
        | population_mask << POPULATION_SHIFT
    )


def need_rtree_ids(
    entry_id: int, need_mask: int, payment_mask: int, population_mask: int
) -> list[tuple[int, int]]:
    """(need index, need-tree id) of each need of an entry."""
    if entry_id > ENTRY_MASK:
        raise ValueError("search index full: more than 2^28 entries")
    rest = entry_id | payment_mask << NEED_PAYMENT_SHIFT | population_mask << NEED_POPULATION_SHIFT
    return [
        (index, rest | index << NEED_INDEX_SHIFT)
        for index in range(len(NEEDS))
        if need_mask >> index & 1
    ]


def _rtree_row(entry: dict[str, Any]) -> dict[str, Any]:
    lat, lon = entry["lat"], entry["lon"]
    return {
        "id": rtree_id(
            entry["id"], entry["need_mask"], entry["payment_mask"], entry["population_mask"]
        ),
        "min_lat": lat - RTREE_PAD,
        "max_lat": lat + RTREE_PAD,
        "min_lon": lon - RTREE_PAD,
        "max_lon": lon + RTREE_PAD,
        "lat": lat,
        "lon": lon,
        "need_mask": entry["need_mask"],
        "payment_mask": entry["payment_mask"],
        "population_mask": entry["population_mask"],
    }


def _need_rtree_rows(entry: dict[str, Any]) -> list[dict[str, Any]]:
    lat, lon = entry["lat"], entry["lon"]
    ids = need_rtree_ids(
        entry["id"], entry["need_mask"], entry["payment_mask"], entry["population_mask"]
    )
    return [
        {
            "id": row_id,
            "min_lat": lat - RTREE_PAD,
            "max_lat": lat + RTREE_PAD,
            "min_lon": lon - RTREE_PAD,
            "max_lon": lon + RTREE_PAD,
            "min_need": index * NEED_SPACING - 0.5,
            "max_need": index * NEED_SPACING + 0.5,
            "lat": lat,
            "lon": lon,
        }
        for index, row_id in ids
    ]


def insert_spatial(session: Any, entries: Sequence[dict[str, Any]]) -> None:
    """Add these search entries (with their `id`) to the SQLite R*Trees; `session` may
    also be a Connection (the benchmark writes straight into the read model)."""
    points = [e for e in entries if e["lat"] is not None and e["lon"] is not None]
    if not points:
        return
    session.execute(_RTREE_INSERT, [_rtree_row(e) for e in points])
    need_rows = [row for e in points for row in _need_rtree_rows(e)]
    if need_rows:
        session.execute(_NEED_RTREE_INSERT, need_rows)
