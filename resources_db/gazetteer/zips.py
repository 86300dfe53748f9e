"""ZIPs from the ``zipcodes`` package, and the cities and counties they name."""

from __future__ import annotations

from collections import defaultdict

import zipcodes

from resources_db.gazetteer.names import normalize_name
from resources_db.gazetteer.records import CityRecord, ZipRecord
from resources_db.gazetteer.states import valid_state_codes


def load_zips() -> tuple[dict[str, ZipRecord], list[tuple[str, str]]]:
    """ZIPs of the states, DC and territories (military and freely associated excluded).

    Also returns the (acceptable city name, ZIP) pairs, collected in the same pass because
    ``zipcodes.list_all()`` is the expensive step. Rows come sorted by ZIP.
    """
    valid = valid_state_codes()
    records: dict[str, ZipRecord] = {}
    acceptable: list[tuple[str, str]] = []
    for row in zipcodes.list_all():
        state = row["state"]
        if state not in valid or row["zip_code_type"] == "MILITARY":
            continue
        lat, lon = float(row["lat"]), float(row["long"])
        if lat == 0.0 and lon == 0.0:
            continue
        code = row["zip_code"]
        timezone = row["timezone"]
        records[code] = ZipRecord(
            code,
            row["city"],
            state,
            row["county"],
            timezone if "/" in timezone else None,
            lat,
            lon,
            row["active"],
            row["zip_code_type"] == "STANDARD",
        )
        for alternative in row["acceptable_cities"]:
            acceptable.append((alternative, code))
    return records, acceptable


def cities_from_zips(
    zips: dict[str, ZipRecord], acceptable: list[tuple[str, str]]
) -> dict[tuple[str, str], CityRecord]:
    """One city per (USPS city name, state); acceptable names add the communities within."""
    primary: dict[tuple[str, str], list[ZipRecord]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for record in zips.values():
        key = (normalize_name(record.city), record.state)
        primary[key].append(record)
        if key not in names:
            names[key] = record.city
    secondary: dict[tuple[str, str], list[ZipRecord]] = defaultdict(list)
    for name, zip_code in acceptable:
        record = zips[zip_code]
        key = (normalize_name(name), record.state)
        if key not in primary:
            secondary[key].append(record)
            if key not in names:
                names[key] = name
    cities: dict[tuple[str, str], CityRecord] = {}
    for group in (primary, secondary):
        for key, members in group.items():
            if key[0]:
                cities[key] = _city_from_zip_group(key, names[key], members)
    _add_counties(zips, cities)
    return cities


# County-equivalents people name as a place ("Baltimore County", "Orleans Parish").
_COUNTY_SUFFIXES = ("county", "parish", "borough", "municipio", "municipality", "census area")


def _add_counties(zips: dict[str, ZipRecord], cities: dict[tuple[str, str], CityRecord]) -> None:
    """Counties become places (centroid of their ZIPs) unless a city has the same name.

    An independent city's county name ("Baltimore city") points to that city.
    """
    members: dict[tuple[str, str], list[ZipRecord]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for record in zips.values():
        if record.county:
            key = (normalize_name(record.county), record.state)
            members[key].append(record)
            names.setdefault(key, record.county)
    for key, group in members.items():
        if key in cities:
            continue
        name, state = key
        if name.endswith(" city"):
            same_city = cities.get((name[: -len(" city")], state))
            if same_city is not None:
                cities[key] = same_city
        elif name.endswith(_COUNTY_SUFFIXES):
            cities[key] = _city_from_zip_group(key, names[key], group)


def _city_from_zip_group(key: tuple[str, str], name: str, members: list[ZipRecord]) -> CityRecord:
    """Mean of the member ZIP centroids (active ones when there are any)."""
    if len(members) == 1:
        only = members[0]
        return CityRecord(
            key[0], name, key[1], only.lat, only.lon, None, only.timezone, (only.zip,)
        )
    located = [m for m in members if m.active] or members
    lat = round(sum(m.lat for m in located) / len(located), 5)
    lon = round(sum(m.lon for m in located) / len(located), 5)
    timezone = next((m.timezone for m in members if m.timezone), None)
    return CityRecord(key[0], name, key[1], lat, lon, None, timezone, tuple(m.zip for m in members))
