"""Finding the facility a new record is: same normalized name + address + ZIP, or a similar
name within MERGE_DISTANCE_M (geodesic) on a grid of about 110 m cells."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from geopy.distance import geodesic  # type: ignore[import-untyped]
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from resources_db import normalize
from resources_db.importers.records import SEPARATE_SOURCES, FacilityRecord
from resources_db.models import Location, RecordSource

MERGE_DISTANCE_M = 50.0
MERGE_NAME_SCORE = 85.0


@dataclass
class KnownLocation:
    id: str
    lat: float
    lon: float
    name: str
    service_id: str | None


class LocationIndex:
    """Every located facility of the directory, by merge key and by grid cell."""

    def __init__(self, session: Session) -> None:
        service_at = dict(
            session.execute(
                select(RecordSource.location_id, RecordSource.service_id).order_by(
                    RecordSource.id.desc()
                )
            ).all()
        )
        self.by_key: dict[str, KnownLocation] = {}
        self.grid: dict[tuple[int, int], list[KnownLocation]] = defaultdict(list)
        for loc_id, lat, lon, key, name in session.execute(
            select(
                Location.id,
                Location.latitude,
                Location.longitude,
                Location.match_key,
                Location.name,
            ).where(Location.latitude.is_not(None), Location.source.not_in(SEPARATE_SOURCES))
        ):
            if lat is not None and lon is not None:
                known = KnownLocation(loc_id, lat, lon, name or "", service_at.get(loc_id))
                self.remember(known, key)

    def remember(self, known: KnownLocation, key: str | None) -> None:
        if key:
            self.by_key.setdefault(key, known)
        self.grid[_cell(known.lat, known.lon)].append(known)

    def find_merge_target(self, record: FacilityRecord) -> KnownLocation | None:
        key = normalize.match_key(record.name, record.address_1, record.postal_code)
        if key and key in self.by_key and self.by_key[key].service_id:
            return self.by_key[key]
        assert record.latitude is not None and record.longitude is not None
        name = normalize.name_key(record.name)
        row, col = _cell(record.latitude, record.longitude)
        best: tuple[float, KnownLocation] | None = None
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for known in self.grid.get((row + dr, col + dc), ()):
                    if known.service_id is None:
                        continue
                    score = fuzz.token_set_ratio(name, normalize.name_key(known.name))
                    if score < MERGE_NAME_SCORE:
                        continue
                    metres = geodesic(
                        (record.latitude, record.longitude), (known.lat, known.lon)
                    ).meters
                    if metres <= MERGE_DISTANCE_M and (best is None or metres < best[0]):
                        best = (metres, known)
        return best[1] if best else None


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """Grid cell of about 110 m, larger than the merge distance."""
    return int((lat + 90) * 1000), int((lon + 180) * 1000)
