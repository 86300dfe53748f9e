"""Nearest ZIP to a point: ZIP centroids bucketed into 1-degree cells."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator

from geopy.distance import geodesic  # type: ignore[import-untyped,unused-ignore]

from resources_db.gazetteer.records import ZipRecord


class ZipGrid:
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
