"""The gazetteer's records: a ZIP, a city (or county, or community) and a state."""

from __future__ import annotations

from typing import NamedTuple


class ZipRecord(NamedTuple):
    """One ZIP code with its USPS city name and centroid."""

    zip: str
    city: str
    state: str
    county: str
    timezone: str | None
    lat: float
    lon: float
    active: bool
    standard: bool  # a delivery area, not a PO box or a single-building ZIP


class CityRecord(NamedTuple):
    """One city (or USPS-recognised community) within a state."""

    key: str  # normalized name, see normalize_name()
    name: str  # display name, e.g. "Towson"
    state: str  # USPS code
    lat: float
    lon: float
    population: int | None  # only known for geonames cities of 15,000+ people
    timezone: str | None
    zips: tuple[str, ...]

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key: most populous first, then the one with more ZIP codes."""
        return (self.population or 0, len(self.zips))


class StateRecord(NamedTuple):
    """A state, DC or territory with the mean of its ZIP centroids."""

    code: str
    name: str
    lat: float
    lon: float
    timezone: str | None
