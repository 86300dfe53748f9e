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

from resources_db.search.geometry import EPS, geodesic_miles, spherical_miles
from resources_db.search.query import (
    SearchError,
    SearchQuery,
    parse_search_params,
    resolve_near,
    validate_query,
)
from resources_db.search.relax import search

__all__ = [
    "EPS",
    "SearchError",
    "SearchQuery",
    "geodesic_miles",
    "parse_search_params",
    "resolve_near",
    "search",
    "spherical_miles",
    "validate_query",
]
