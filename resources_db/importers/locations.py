"""The location rows one new record gets: a physical location with its address, or, for an
online-only meeting, an HSDS "virtual" location (no address or point, but the time zone its
schedules are written in); each linked to the record's service."""

from __future__ import annotations

from typing import Any

from resources_db import normalize
from resources_db.importers.records import FacilityRecord, stable_id
from resources_db.models import Address, Location, ServiceAtLocation

Rows = list[tuple[type, dict[str, Any]]]


def location_rows(
    record: FacilityRecord, service_id: str, org_id: str, location_id: str
) -> Rows:
    """Location, address (physical only) and service-at-location rows, without provenance."""
    online = record.scope == "online"
    if not online:
        assert record.latitude is not None and record.longitude is not None
    rows: Rows = [
        (
            Location,
            {
                "id": location_id,
                "organization_id": org_id,
                "name": record.name,
                "latitude": None if online else record.latitude,
                "longitude": None if online else record.longitude,
                "timezone": record.timezone,
                "match_key": None
                if online
                else normalize.match_key(record.name, record.address_1, record.postal_code),
                "location_type": "virtual" if online else "physical",
            },
        )
    ]
    if not online:
        rows.append((Address, _address(record, location_id)))
    rows.append(
        (
            ServiceAtLocation,
            {
                "id": stable_id("service_at_location", service_id, location_id),
                "service_id": service_id,
                "location_id": location_id,
            },
        )
    )
    return rows


def _address(record: FacilityRecord, location_id: str) -> dict[str, Any]:
    return {
        "id": stable_id("address", location_id),
        "location_id": location_id,
        "address_1": record.address_1,
        "address_2": record.address_2,
        "city": record.city,
        "region": record.county,
        "state_province": record.state,
        "postal_code": record.postal_code,
        "country": "US",
        "address_type": "physical",
    }
