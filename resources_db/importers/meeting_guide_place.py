"""Where a Meeting Guide meeting is held: a specific US street address with coordinates, or
nowhere physical (an online meeting, whose address the spec lets be approximate)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from resources_db import normalize
from resources_db.importers import fields
from resources_db.importers.base import FieldError, field_value

US_NAMES = frozenset({"us", "usa", "united states", "united states of america"})
#: "123 Main St, Anytown, CA 98765, USA" (the country is optional)
_FORMATTED = re.compile(
    r"^(?P<street>[^,]+),\s*(?P<city>[^,]+),\s*(?P<state>[A-Za-z]{2})\s+(?P<zip>\d{5})"
    r"(?:-\d{4})?(?:,\s*(?P<country>[^,]+))?$"
)


@dataclass(frozen=True)
class Place:
    street: str
    building: str | None
    city: str
    state: str
    zip: str
    lat: float
    lon: float


def _text(row: dict[str, Any], key: str) -> str | None:
    return normalize.clean(row.get(key))


def _parts(row: dict[str, Any]) -> dict[str, str | None]:
    """address/city/state/postal_code/country, else what formatted_address says."""
    parts = {key: _text(row, key) for key in ("address", "city", "state", "postal_code")}
    parts["country"] = _text(row, "country")
    formatted = _text(row, "formatted_address")
    if not parts["address"] and formatted:
        found = _FORMATTED.match(formatted)
        if found:
            parts = {
                "address": found["street"].strip(),
                "city": found["city"].strip(),
                "state": found["state"],
                "postal_code": found["zip"],
                "country": found["country"] or parts["country"],
            }
    return parts


def _coordinates(row: dict[str, Any]) -> tuple[float, float] | None:
    lat = field_value("latitude", lambda: normalize.coordinate(row.get("latitude"), "latitude"))
    lon = field_value(
        "longitude", lambda: normalize.coordinate(row.get("longitude"), "longitude")
    )
    if lat is None or lon is None:
        return None
    return lat, lon


def place(row: dict[str, Any], *, online: bool, warnings: list[tuple[str, str]]) -> Place | None:
    """The meeting's physical place; None for an online meeting without one. FieldError for
    an in-person meeting that cannot be placed (the spec wants a specific address)."""
    parts = _parts(row)
    country = (parts["country"] or "US").strip().lower()
    approximate = (_text(row, "approximate") or "").lower() == "yes"
    if not parts["address"] or approximate:
        if online:
            return None
        reason = "approximate" if approximate else "no street address (address, formatted_address)"
        raise FieldError("address", f"{reason}, and no conference_url or conference_phone")
    if country not in US_NAMES:
        raise FieldError("country", f"outside the United States: {parts['country']!r}")
    point = _coordinates(row)
    if point is None:
        if online:
            warnings.append(("latitude", "address without coordinates: listed as online only"))
            return None
        raise FieldError("latitude", "no coordinates (latitude and longitude are needed)")
    city = parts["city"]
    if not city:
        raise FieldError("city", "missing")
    state = field_value("state", lambda: normalize.state(parts["state"]))
    zip_code = field_value("postal_code", lambda: fields.zip_code(parts["postal_code"], state))
    if zip_code is None:
        raise FieldError("postal_code", "missing")
    return Place(parts["address"], _text(row, "location"), city, state, zip_code, *point)
