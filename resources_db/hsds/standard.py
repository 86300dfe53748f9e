"""The HSDS 3.1 standard as the product ships it (resources_db/seed/hsds, CC BY-SA 4.0).

`official_package()` is the official tabular data package with its two broken entries
(`service_capacity`, `unit`: primary key `id` but no `id` field) repaired from their JSON
Schemas, so that export and import use one description of every table: file name, fields,
types, required fields, enums, formats, primary and foreign keys.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STANDARD_DIR = Path(__file__).resolve().parent.parent / "seed" / "hsds"
#: upstream entries that declare a primary key on a field they do not list
REPAIRED = ("service_capacity", "unit")
#: JSON Schema string formats that are Table Schema types
_FORMAT_TYPES = {"date-time": "datetime", "date": "date", "time": "time"}


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((STANDARD_DIR / name).read_text(encoding="utf-8"))
    return data


@functools.cache
def official_package_raw() -> dict[str, Any]:
    """The official datapackage.json exactly as published (broken entries included)."""
    return _load("datapackage.json")


def json_schema(name: str) -> dict[str, Any]:
    """The official JSON Schema of one object (only the repaired tables are bundled)."""
    return _load(f"schema/{name}.json")


def _field_from_property(prop: dict[str, Any], required: bool) -> dict[str, Any] | None:
    kind = prop.get("type")
    if kind not in {"string", "number", "integer", "boolean"}:
        return None  # nested objects and arrays are not columns of the tabular form
    field: dict[str, Any] = {"name": prop["name"], "title": prop.get("title", prop["name"])}
    fmt = prop.get("format")
    if kind == "string" and fmt in _FORMAT_TYPES:
        field["type"] = _FORMAT_TYPES[fmt]
    else:
        field["type"] = kind
        if fmt:
            field["format"] = fmt
    field["description"] = prop.get("description", "")
    field["constraints"] = {"required": required, "unique": prop["name"] == "id"}
    return field


def _repaired(resource: dict[str, Any]) -> dict[str, Any]:
    schema = json_schema(resource["name"])
    required = set(schema.get("required", [])) | set(schema.get("tabular_required", []))
    fields = [
        field
        for prop in schema["properties"].values()
        if (field := _field_from_property(prop, prop.get("name") in required)) is not None
    ]
    out = copy.deepcopy(resource)
    out["schema"]["fields"] = fields
    return out


@functools.cache
def _official_package() -> dict[str, Any]:
    package = copy.deepcopy(official_package_raw())
    package["resources"] = [
        _repaired(r) if r["name"] in REPAIRED else r for r in package["resources"]
    ]
    return package


def official_package() -> dict[str, Any]:
    """The official package with `service_capacity` and `unit` repaired (a fresh copy)."""
    return copy.deepcopy(_official_package())


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    format: str | None
    required: bool
    unique: bool
    enum: tuple[str, ...] | None


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    fields: tuple[Field, ...]
    foreign_keys: tuple[ForeignKey, ...]
    descriptor: dict[str, Any]

    @functools.cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _resource(descriptor: dict[str, Any]) -> Resource:
    schema = descriptor.get("schema", {})
    fields = tuple(
        Field(
            name=f["name"],
            type=f.get("type", "string"),
            format=f.get("format"),
            required=bool(f.get("constraints", {}).get("required")),
            unique=bool(f.get("constraints", {}).get("unique")),
            enum=tuple(f["constraints"]["enum"]) if "enum" in f.get("constraints", {}) else None,
        )
        for f in schema.get("fields", [])
    )
    keys = tuple(
        ForeignKey(k["fields"], k["reference"]["resource"]) for k in schema.get("foreignKeys", [])
    )
    return Resource(descriptor["name"], descriptor["path"], fields, keys, descriptor)


@functools.cache
def resources() -> dict[str, Resource]:
    """Every official table by HSDS name (`organization`, `service`, …), in package order."""
    return {r["name"]: _resource(r) for r in _official_package()["resources"]}


def resource_by_path() -> dict[str, Resource]:
    """The official tables by file name (`organizations.csv`, …)."""
    return {r.path: r for r in resources().values()}
