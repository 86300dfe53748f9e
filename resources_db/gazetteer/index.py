"""The read-only indexes over ZIPs, cities and states (:class:`Gazetteer`)."""

from __future__ import annotations

from collections import defaultdict

from resources_db.gazetteer.names import normalize_name
from resources_db.gazetteer.records import CityRecord, StateRecord, ZipRecord
from resources_db.gazetteer.states import state_abbreviation_index, state_name_index
from resources_db.gazetteer.zip_grid import ZipGrid


class Gazetteer:
    """Read-only indexes over ZIPs, cities and states. Build with :func:`load_gazetteer`."""

    def __init__(
        self,
        zips: dict[str, ZipRecord],
        cities: dict[tuple[str, str], CityRecord],
        states: dict[str, StateRecord],
        aliases: dict[str, CityRecord],
    ) -> None:
        self.zips = zips
        self.cities = cities
        self.states = states
        self.aliases = aliases
        by_name: dict[str, list[CityRecord]] = defaultdict(list)
        by_state: dict[str, list[str]] = defaultdict(list)
        for (key, state), record in cities.items():
            if record.key != key:
                continue  # alternative key of a record that is listed under its own key
            by_name[key].append(record)
            by_state[state].append(key)
        for (key, _state), record in cities.items():
            if record.key != key and record not in by_name[key]:
                by_name[key].append(record)
        self.cities_by_name: dict[str, list[CityRecord]] = {
            key: sorted(records, key=lambda r: r.rank, reverse=True)
            for key, records in by_name.items()
        }
        self.city_keys_by_state: dict[str, list[str]] = dict(by_state)
        self.notable_city_keys: list[str] = sorted(
            {key for key, records in self.cities_by_name.items() if records[0].population}
        )
        self.state_names: dict[str, str] = state_name_index(states)
        self.state_codes: dict[str, str] = {code.lower(): code for code in states}
        self.state_abbreviations: dict[str, str] = state_abbreviation_index(states)
        # Reverse look-ups use delivery-area ZIPs: PO box ZIPs sit on top of post offices.
        self._grid = ZipGrid([z for z in zips.values() if z.active and z.standard])

    def city(self, name: str, state: str) -> CityRecord | None:
        """Exact lookup by display or normalized name and USPS code."""
        return self.cities.get((normalize_name(name), state.upper()))

    def nearest_zip(self, lat: float, lon: float) -> ZipRecord:
        """The active ZIP whose centroid is nearest to the point (geodesic distance)."""
        return self._grid.nearest(lat, lon)
