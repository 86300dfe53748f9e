"""An HSDS row (already valid HSDS 3.1) as the values of a directory row.

What the directory cannot hold is a clear rejection, never a silent loss: a value longer
than its column, a missing value the directory needs (a schedule without opening hours),
a monthly schedule, a location outside the map, an attribute of something else than a
service.
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String

from resources_db import normalize
from resources_db.hours import BYDAY
from resources_db.hsds.mapping import (
    DEFAULT_SOURCE,
    TableMap,
    derived_org_description,
    derived_term_description,
    from_text,
)
from resources_db.importers.base import stable_id


class Rejected(ValueError):
    """The directory cannot keep this row; `field` says which value is the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass
class Lookups:
    """Names and links that rows of one table need from other tables of the package."""

    units: dict[str, str] = field(default_factory=dict)
    taxonomies: dict[str, str] = field(default_factory=dict)
    #: service_at_location id -> service id
    sal_service: dict[str, str] = field(default_factory=dict)


def _text(row: dict[str, Any], key: str) -> str | None:
    raw = row.get(key)
    return None if raw is None or str(raw).strip() == "" else str(raw)


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _defaults(tmap: TableMap, values: dict[str, Any]) -> None:
    """Our extension columns for HSDS data that does not carry them."""
    columns = tmap.table.c
    if "source" in columns and not values.get("source"):
        values["source"] = DEFAULT_SOURCE
    if "version" in columns and not values.get("version"):
        values["version"] = 1
    if tmap.resource == "organization" and not values.get("name_key"):
        values["name_key"] = normalize.name_key(values.get("name") or "")
    if tmap.resource == "service" and not values.get("scope"):
        values["scope"] = "local"
    if tmap.resource == "attribute" and not values.get("link_type"):
        values["link_type"] = "attribute"


def _organization(row: dict[str, Any], values: dict[str, Any], lookups: Lookups) -> None:
    description = _text(row, "description")
    derived = description == derived_org_description(values.get("source"))
    values["description"] = None if derived else description


def _term(row: dict[str, Any], values: dict[str, Any], lookups: Lookups) -> None:
    values["code"] = _text(row, "x_code") or _text(row, "code") or row["id"]
    taxonomy = values.get("taxonomy") or lookups.taxonomies.get(_text(row, "taxonomy_id") or "")
    values["taxonomy"] = taxonomy or DEFAULT_SOURCE
    description = _text(row, "description")
    derived = description == derived_term_description(values["taxonomy"], values.get("name", ""))
    values["description"] = None if derived else description


def _location(row: dict[str, Any], values: dict[str, Any], lookups: Lookups) -> None:
    zone = _text(row, "x_timezone")
    if zone is not None and zone not in _zones():
        raise Rejected("x_timezone", f"{zone!r} is not an IANA time zone")
    values["timezone"] = zone
    for key, limit in (("latitude", 90), ("longitude", 180)):
        if values.get(key) is not None and abs(values[key]) > limit:
            raise Rejected(key, f"{values[key]} is outside -{limit}..{limit}")


def _phone(row: dict[str, Any], values: dict[str, Any], lookups: Lookups) -> None:
    values["extension"] = _text(row, "x_extension") or _text(row, "extension")


def _capacity(row: dict[str, Any], values: dict[str, Any], lookups: Lookups) -> None:
    unit = lookups.units.get(_text(row, "unit_id") or "")
    if unit is None:
        raise Rejected("unit_id", "no unit with a name in units.csv: the directory needs it")
    values["unit"] = unit


def _attribute(row: dict[str, Any], values: dict[str, Any], lookups: Lookups) -> None:
    entity = values.get("link_entity")
    if entity != "service":
        raise Rejected("link_entity", f"{entity!r}: the directory keeps attributes of services")


def _schedule(row: dict[str, Any], values: dict[str, Any], lookups: Lookups) -> None:
    if values.get("freq") not in {None, "WEEKLY"}:
        raise Rejected("freq", f"{values['freq']!r}: the directory keeps weekly schedules only")
    values["freq"] = "WEEKLY"
    for key in ("byday", "opens_at", "closes_at"):
        if values.get(key) is None:
            raise Rejected(
                key, "empty: the directory keeps weekly opening hours (byday, opens_at, closes_at)"
            )
    days = [d.strip() for d in str(values["byday"]).split(",") if d.strip()]
    wrong = [d for d in days if d not in BYDAY]
    if wrong or not days:
        raise Rejected("byday", f"{values['byday']!r}: expected weekdays like MO,TU")
    values["byday"] = days
    sal = values.get("service_at_location_id")
    if values.get("service_id") is None and sal in lookups.sal_service:
        values["service_id"] = lookups.sal_service[sal]


_HOOKS = {
    "organization": _organization,
    "taxonomy_term": _term,
    "location": _location,
    "phone": _phone,
    "service_capacity": _capacity,
    "attribute": _attribute,
    "schedule": _schedule,
}


def _check_columns(tmap: TableMap, values: dict[str, Any]) -> None:
    for column in tmap.table.columns:
        value = values.get(column.name)
        limit = column.type.length if isinstance(column.type, String) else None
        if limit and isinstance(value, str) and len(value) > limit:
            raise Rejected(
                tmap.field_of(column.name),
                f"{len(value)} characters: the directory keeps at most {limit}",
            )
        if column.primary_key and column.autoincrement is True:
            continue
        if value is None and not column.nullable and column.default is None:
            raise Rejected(tmap.field_of(column.name), "empty: the directory needs it")


def convert(tmap: TableMap, row: dict[str, Any], lookups: Lookups) -> list[dict[str, Any]]:
    """The directory row(s) for one HSDS row (a schedule on several days gives one row per
    day); raises Rejected when the directory cannot keep it."""
    values: dict[str, Any] = {}
    for key, column in tmap.column_of().items():
        try:
            values[column.name] = from_text(column, row.get(key))
        except ValueError as error:
            raise Rejected(key, str(error)) from None
    _defaults(tmap, values)
    hook = _HOOKS.get(tmap.resource)
    if hook:
        hook(row, values, lookups)
    if tmap.resource != "schedule":
        _check_columns(tmap, values)
        return [values]
    days: list[str] = values["byday"]
    out = []
    for day in days:
        one = {**values, "byday": day}
        if len(days) > 1:
            one["id"] = stable_id("schedule", values["id"], day)
        _check_columns(tmap, one)
        out.append(one)
    return out
