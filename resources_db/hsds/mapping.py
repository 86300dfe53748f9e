"""Which directory table holds which HSDS table, and how a column is named in HSDS.

A directory column keeps its HSDS name when HSDS has that field; our other columns
(provenance, `version`, `service.scope`, `location.timezone`, …) are exported as extension
columns named `x_<column>`, which HSDS consumers may ignore and which import reads back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, Table, Time

from resources_db.hsds.standard import resources
from resources_db.importers.base import stable_id
from resources_db.models import Base

EXTENSION_PREFIX = "x_"
#: our extension table: every source record merged into a service (what re-imports match on)
RECORD_SOURCE = "x_record_source"
RECORD_SOURCE_PATH = "x_record_sources.csv"
#: HSDS tables the directory derives on export and reads on import as lookups
UNIT, TAXONOMY = "unit", "taxonomy"
DEFAULT_SOURCE = "hsds"


def _table(name: str) -> Table:
    """One of the directory's tables (resources_db.models), by name."""
    return Base.metadata.tables[name]


@dataclass(frozen=True)
class TableMap:
    """One HSDS table kept in one directory table."""

    resource: str
    table: Table
    #: our column -> HSDS field, where the names differ
    renames: dict[str, str] = field(default_factory=dict)
    #: our columns written in another way (see export/importer hooks)
    special: frozenset[str] = frozenset()

    @classmethod
    def same_name(cls, resource: str, **how: Any) -> TableMap:
        """The HSDS table kept in the directory table of the same name."""
        return cls(resource, _table(resource), **how)

    def official(self) -> tuple[str, ...]:
        found = resources().get(self.resource)
        return found.field_names if found else ()

    def field_of(self, column: str) -> str:
        """The HSDS (or `x_` extension) name of one of our columns."""
        if column in self.renames:
            return self.renames[column]
        if self.resource == RECORD_SOURCE:
            return column
        return column if column in self.official() else EXTENSION_PREFIX + column

    def extension_columns(self) -> list[Column[Any]]:
        """Our columns that HSDS lacks, exported as `x_` columns (all, in our own table)."""
        if self.resource == RECORD_SOURCE:
            return [c for c in self.table.columns if c.name != "id"]
        return [
            c
            for c in self.table.columns
            if c.name not in self.special and self.field_of(c.name).startswith(EXTENSION_PREFIX)
        ]

    def column_of(self) -> dict[str, Column[Any]]:
        """HSDS/extension field name -> our column (for import)."""
        return {
            self.field_of(c.name): c
            for c in self.table.columns
            if c.name not in self.special
            and not (self.resource == RECORD_SOURCE and c.name == "id")
        }


#: in foreign-key order (import writes them in this order)
TABLE_MAPS: tuple[TableMap, ...] = (
    TableMap.same_name("organization", special=frozenset({"description"})),
    TableMap.same_name("taxonomy_term", special=frozenset({"code"})),
    TableMap.same_name("service"),
    TableMap.same_name("location", special=frozenset({"timezone"})),
    TableMap.same_name("service_at_location"),
    TableMap.same_name("address"),
    TableMap.same_name("phone", special=frozenset({"extension"})),
    TableMap.same_name("schedule"),
    TableMap.same_name("service_area"),
    TableMap.same_name("language"),
    TableMap.same_name(
        "service_capacity", renames={"updated_at": "updated"}, special=frozenset({"unit"})
    ),
    TableMap.same_name("attribute"),
    TableMap(RECORD_SOURCE, _table("record_source")),
)
BY_RESOURCE = {m.resource: m for m in TABLE_MAPS}

#: extension columns written by the special cases, with their Table Schema types
SPECIAL_EXTENSIONS: dict[str, dict[str, str]] = {
    "location": {"x_timezone": "string"},
    "phone": {"x_extension": "string"},
    "taxonomy_term": {"x_code": "string"},
}
_EXTENSION_DOCS = {
    "source": "which source listed the record (provenance)",
    "source_record_id": "the record's id in that source",
    "last_verified": "when the source last verified the record",
    "version": "edit counter of the directory (optimistic locking)",
    "name_key": "normalized name the directory merges organizations on",
    "scope": "local (at locations) or national (a line or directory with no location)",
    "hours_text": "hours as the source wrote them, when not a weekly schedule",
    "match_key": "normalized name and address the directory merges locations on",
    "timezone": "IANA time zone of the location (from its state when it has only one)",
    "extension": "the phone extension as written when it is not a plain number",
    "code": "the directory's own code of the term (HSDS `code` is made unique by "
    "prefixing the taxonomy when two taxonomies share a code)",
    "updated_by": "who last updated the capacity",
    "checksum": "hash of the imported source record",
    "imported_at": "when the source record was imported",
    "service_id": "the service the source record was merged into",
    "location_id": "the location of that source record",
}


def table_schema_type(column: Column[Any]) -> str:
    """The Table Schema type of one of our columns."""
    kind = column.type
    for sql_type, name in (
        (DateTime, "datetime"),
        (Date, "date"),
        (Time, "time"),
        (Boolean, "boolean"),
        (Integer, "integer"),
        (Float, "number"),
    ):
        if isinstance(kind, sql_type):
            return name
    return "string"


def extension_field(name: str, kind: str) -> dict[str, Any]:
    """A Table Schema field for one of our `x_` columns."""
    what = _EXTENSION_DOCS.get(name.removeprefix(EXTENSION_PREFIX), "directory extension")
    return {
        "name": name,
        "type": kind,
        "description": f"Recovery Navigator extension, not part of HSDS: {what}.",
    }


def unit_id(unit_name: str) -> str:
    return stable_id("unit", unit_name)


def taxonomy_id(taxonomy_name: str) -> str:
    return stable_id("taxonomy", taxonomy_name)


def derived_org_description(source: str | None) -> str:
    """What we honestly know of an organization the source gave no description for."""
    return f"Listed in {source or DEFAULT_SOURCE}"


def derived_term_description(taxonomy: str, name: str) -> str:
    return f"{name} (a term of the {taxonomy} vocabulary)"


def to_text(value: Any) -> Any:
    """A value as written in CSV/JSON (dates and times ISO 8601, datetimes in UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def from_text(column: Column[Any], raw: Any) -> Any:
    """A CSV/JSON value as the column's Python type (ValueError when it cannot be)."""
    if raw is None or raw == "":
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        value = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(str(raw))
    if isinstance(kind, Time):
        return dt.time.fromisoformat(str(raw))
    if isinstance(kind, Boolean):
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in {"true", "1"}:
            return True
        if str(raw).lower() in {"false", "0"}:
            return False
        raise ValueError(f"not true/false: {raw!r}")
    if isinstance(kind, Integer):
        number = float(raw)
        if not number.is_integer():
            raise ValueError(f"not a whole number: {raw!r}")
        return int(number)
    if isinstance(kind, Float):
        return float(raw)
    return str(raw)
