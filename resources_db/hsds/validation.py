"""Row checks of an import against the official HSDS 3.1 table schemas.

Each cell is read by frictionless with the official field (type, format such as uuid, uri
or email, required, enum), so import and the export's conformance check agree; unique
fields (ids, taxonomy codes) must not repeat within a file; foreign keys must point at a
row the import accepted (or one already in the directory).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from resources_db.hsds.standard import Resource


def _reason(kind: str, raw: Any, hsds_field: Any) -> str:
    shown = repr(raw if raw is not None else "")
    if kind == "required":
        return "required by HSDS 3.1, but empty"
    if kind == "enum":
        allowed = ", ".join(hsds_field.constraints.get("enum", []))
        return f"{shown} is not one of: {allowed}"
    if kind == "type":
        what = hsds_field.format if hsds_field.format not in {None, "default"} else hsds_field.type
        return f"{shown} is not a valid {what}"
    return f"{shown} breaks the HSDS constraint {kind}"


@dataclass
class RowChecker:
    """Checks the rows of one official table, in file order."""

    resource: Resource
    _readers: dict[str, Any] = field(init=False)
    _fields: dict[str, Any] = field(init=False)
    _seen: dict[str, dict[Any, int]] = field(init=False)

    def __post_init__(self) -> None:
        from frictionless import Schema  # imported when an import runs (a slow import)

        schema = Schema.from_descriptor(self.resource.descriptor["schema"])
        self._fields = {f.name: f for f in schema.fields}
        self._readers = {f.name: f.create_cell_reader() for f in schema.fields}
        self._seen = {f.name: {} for f in self.resource.fields if f.unique}

    def check(self, line: int, row: dict[str, Any]) -> list[tuple[str, str]]:
        """(field, reason) for every official field of the row that breaks the standard."""
        problems: list[tuple[str, str]] = []
        for name, reader in self._readers.items():
            raw = row.get(name)
            _value, notes = reader("" if raw is None else raw)
            if notes:
                kind = next(iter(notes))
                problems.append((name, _reason(kind, raw, self._fields[name])))
        for name, seen in self._seen.items():
            raw = row.get(name)
            if raw in (None, ""):
                continue
            if raw in seen:
                problems.append((name, f"{raw!r} repeats line {seen[raw]}: it must be unique"))
            else:
                seen[raw] = line
        return problems


def dangling(resource: Resource, row: dict[str, Any], known: dict[str, set[str]]) -> list[str]:
    """The foreign-key fields of a row that point at no accepted row of their table."""
    out = []
    for key in resource.foreign_keys:
        value = row.get(key.field)
        if value not in (None, "") and value not in known.get(key.resource, set()):
            out.append(key.field)
    return out
