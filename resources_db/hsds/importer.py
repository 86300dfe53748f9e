"""HSDS 3.1 import: every row checked against the official standard, then kept by id.

Tables are read in foreign-key order. A row is rejected (and reported by file, line, field
and reason) when it breaks the official schema, points at a row that is missing or was
rejected, or holds something the directory cannot keep; the rest is upserted by id in the
caller's transaction (importing twice changes nothing). Unknown columns, HSDS columns the
directory does not keep and tables it does not import are reported too. The search index
is refreshed for every service the import touched.
"""

from __future__ import annotations

import csv
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from resources_db import search_index
from resources_db.hsds.convert import Lookups, Rejected, convert
from resources_db.hsds.mapping import (
    BY_RESOURCE,
    DEFAULT_SOURCE,
    RECORD_SOURCE,
    SPECIAL_EXTENSIONS,
    TAXONOMY,
    UNIT,
    TableMap,
    to_text,
)
from resources_db.hsds.package import Opened, Table, open_package, read_rows, unpack
from resources_db.hsds.standard import resources
from resources_db.hsds.validation import RowChecker, dangling
from resources_db.importers.base import ImportSummary, RowError
from resources_db.models import ServiceAtLocation

#: foreign-key order: every table after the tables it points at
ORDER = (
    "organization", TAXONOMY, UNIT, "program", "taxonomy_term", "service", "location",
    "service_at_location", "contact", "address", "phone", "schedule", "service_area",
    "language", "service_capacity", "attribute", "funding", "required_document",
    "accessibility", "cost_option", "organization_identifier", "url", "metadata",
    "meta_table_description", RECORD_SOURCE,
)  # fmt: skip
#: tables read for the names other tables need, not kept as tables of their own
LOOKUP_TABLES = {TAXONOMY: "taxonomy names of the terms", UNIT: "unit names of the capacities"}
#: links of our tables that make a service's search entry change
_SERVICE_LINKS = ("service_id", "link_id")


@dataclass(frozen=True)
class FileRowError(RowError):
    """A rejected row, or a problem with a whole file (line 1, column "file"); `field`
    reads "<file>: <column>" so that every report shows the file."""

    file: str = ""
    column: str = ""

    @classmethod
    def of(cls, file: str, line: int, column: str, reason: str) -> FileRowError:
        return cls(line, f"{file}: {column}", reason, file, column)


@dataclass
class HsdsImportSummary(ImportSummary):
    #: what was read but not imported: unknown columns, columns and tables not kept
    notes: list[str] = field(default_factory=list)

    def text(self, max_errors: int = 20) -> str:
        lines = [super().text(max_errors)]
        lines += [f"  not imported: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass
class _Run:
    session: Session
    summary: HsdsImportSummary
    known: dict[str, set[str]] = field(default_factory=dict)
    lookups: Lookups = field(default_factory=Lookups)
    touched_services: set[str] = field(default_factory=set)
    touched_locations: set[str] = field(default_factory=set)

    def reject(self, table: Table, line: int, name: str, reason: str) -> None:
        self.summary.errors.append(FileRowError.of(table.label, line, name, reason))

    def known_ids(self, name: str) -> set[str]:
        if name not in self.known:
            tmap = BY_RESOURCE.get(name)
            ids: set[str] = set()
            if tmap is not None:
                ids.update(self.session.execute(select(tmap.table.c.id)).scalars())
            self.known[name] = ids
        return self.known[name]


def import_hsds(session: Session, path: Path) -> ImportSummary:
    """Import an HSDS 3.1 package (folder, .zip or datapackage.json) in the session's
    transaction (the caller commits, or rolls back when rows were rejected). Returns an
    `HsdsImportSummary` (its `notes` list what was read but not imported)."""
    summary = HsdsImportSummary(DEFAULT_SOURCE)
    with tempfile.TemporaryDirectory() as temp:
        try:
            opened = open_package(unpack(path, Path(temp)))
        except (ValueError, zipfile.BadZipFile) as error:
            summary.errors.append(FileRowError.of(path.name, 1, "file", f"cannot be read: {error}"))
            return summary
        if not any(name in BY_RESOURCE for name in opened.tables):
            summary.errors.append(FileRowError.of(path.name, 1, "file", _no_tables_message(path)))
            return summary
        run = _Run(session, summary)
        _note_unused(opened, summary)
        for name in ORDER:
            if name not in opened.tables:
                continue
            try:
                _import_table(run, opened.tables[name])
            except (ValueError, csv.Error) as error:  # undecodable text, broken quoting
                run.reject(opened.tables[name], 1, "file", f"cannot be read: {error}")
    session.flush()
    search_index.refresh_services(session, _affected_services(run))
    return summary


def _no_tables_message(path: Path) -> str:
    message = (
        "no HSDS 3.1 tables (services.csv, organizations.csv …) found: an HSDS import takes "
        "a folder, a .zip or a datapackage.json"
    )
    if path.suffix.lower() in {".csv", ".json", ".txt"} and path.name != "datapackage.json":
        kind = "CSV" if path.suffix.lower() != ".json" else "JSON"
        message += f". This is a single {kind} file: check the format you chose"
    return message


def _note_unused(opened: Opened, summary: HsdsImportSummary) -> None:
    summary.notes += [f"{label}: {why}" for label, why in opened.unused]


def _unkept_columns(run: _Run, table: Table, header: list[str]) -> list[str]:
    """Notes the unknown columns of a table; returns the HSDS columns it does not keep."""
    resource = resources().get(table.name)
    official = set(resource.field_names) if resource else set()
    tmap = BY_RESOURCE.get(table.name)
    ours = set(tmap.column_of()) | set(SPECIAL_EXTENSIONS.get(table.name, {})) if tmap else set()
    unknown = [c for c in header if c not in official and c not in ours]
    if unknown:
        run.summary.notes.append(f"{table.label}: unknown columns ignored: {', '.join(unknown)}")
    if tmap is None and table.name not in LOOKUP_TABLES:
        return []  # the whole table is reported as not imported
    used = ours | _USED_ELSEWHERE.get(table.name, set()) if tmap else {"id", "name"}
    return [c for c in header if c in official and c not in used]


def _note_unkept(run: _Run, table: Table, filled: Counter[str]) -> None:
    if filled:
        listed = ", ".join(f"{name} ({_count(n)})" for name, n in filled.items())
        run.summary.notes.append(f"{table.label}: values the directory does not keep: {listed}")


#: HSDS fields read through the special cases of convert.py
_USED_ELSEWHERE = {
    "organization": {"description"},
    "taxonomy_term": {"code", "taxonomy_id", "description"},
    "phone": {"extension"},
    "service_capacity": {"unit_id"},
}


def _import_table(run: _Run, table: Table) -> None:
    header, rows = read_rows(table)
    unkept, filled = _unkept_columns(run, table, header), Counter[str]()
    resource = resources().get(table.name)
    checker = RowChecker(resource) if resource else None
    tmap = BY_RESOURCE.get(table.name)
    for target in [table.name, *(k.resource for k in resource.foreign_keys)] if resource else []:
        run.known_ids(target)
    writer = _Writer(run, tmap) if tmap else None
    if table.name == "schedule":  # a schedule may name only its service at location
        _load_sal_services(run)
    valid = 0
    ordered = _parents_first(list(rows)) if table.name == "taxonomy_term" else rows
    for line, row in ordered:
        if None in row:
            run.reject(table, line, "row", "more cells than the header has columns")
            continue
        problems = checker.check(line, row) if checker else []
        for key in dangling(resource, row, run.known) if resource else []:
            target = _target(resource, key)
            problems.append((key, f"{row[key]!r} is not the id of an imported {target}"))
        if problems:
            run.reject(
                table, line, ", ".join(p[0] for p in problems), "; ".join(p[1] for p in problems)
            )
            continue
        filled.update(c for c in unkept if row.get(c) not in (None, ""))
        if writer is None:
            _remember(run, table.name, row)
            valid += 1
        else:
            writer.write(table, line, row)
    _note_unkept(run, table, filled)
    if writer is not None:
        writer.flush()
    elif valid and table.name not in LOOKUP_TABLES:
        run.summary.notes.append(
            f"{table.label}: {_count(valid)}, valid; the directory has no {table.name} table"
        )


def _load_sal_services(run: _Run) -> None:
    """service_at_location id -> service id for those already in the directory too."""
    stmt = select(ServiceAtLocation.id, ServiceAtLocation.service_id)
    in_db = {row.id: row.service_id for row in run.session.execute(stmt)}
    run.lookups.sal_service = {**in_db, **run.lookups.sal_service}


def _count(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _parents_first(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Terms ordered so that a parent term comes before its children."""
    parent = {row.get("id"): row.get("parent_id") for _, row in rows}

    def depth(term_id: Any) -> int:
        seen = set()
        while parent.get(term_id) and term_id not in seen:
            seen.add(term_id)
            term_id = parent[term_id]
        return len(seen)

    return sorted(rows, key=lambda item: depth(item[1].get("id")))


def _target(resource: Any, key: str) -> str:
    return next(k.resource for k in resource.foreign_keys if k.field == key)


def _remember(run: _Run, name: str, row: dict[str, Any]) -> None:
    run.known.setdefault(name, set()).add(row["id"])
    if name == UNIT and row.get("name"):
        run.lookups.units[row["id"]] = row["name"]
    if name == TAXONOMY:
        run.lookups.taxonomies[row["id"]] = row["name"]


class _Writer:
    """Upserts the accepted rows of one directory table by key."""

    def __init__(self, run: _Run, tmap: TableMap) -> None:
        self.run, self.tmap, self.table = run, tmap, tmap.table
        self.keys = ("source", "source_record_id") if tmap.resource == RECORD_SOURCE else ("id",)
        self.existing: dict[tuple[Any, ...], dict[str, Any]] = {
            tuple(row[k] for k in self.keys): dict(row)
            for row in run.session.execute(select(self.table)).mappings()
        }
        self.new_rows: list[dict[str, Any]] = []
        self.seen: set[tuple[Any, ...]] = set()

    def write(self, table: Table, line: int, row: dict[str, Any]) -> None:
        try:
            rows = convert(self.tmap, row, self.run.lookups)
        except Rejected as problem:
            self.run.reject(table, line, problem.field, problem.reason)
            return
        for values in rows:
            missing = self._missing_link(values)
            if tuple(values.get(k) for k in self.keys) in self.seen:
                missing = (",".join(self.keys), "repeats an earlier row of this file")
            if missing:
                self.run.reject(table, line, *missing)
                return
        for values in rows:
            if self._upsert(values):
                self._touch(values)
            if self.tmap.resource == "service_at_location":
                self.run.lookups.sal_service[values["id"]] = values["service_id"]

    def _missing_link(self, values: dict[str, Any]) -> tuple[str, str] | None:
        for column in self.table.columns:
            for fk in column.foreign_keys:
                value, target = values.get(column.name), fk.column.table.name
                if value is not None and value not in self.run.known_ids(target):
                    name = self.tmap.field_of(column.name)
                    return name, f"{value!r}: no {target} with this id was imported"
        return None

    def _upsert(self, values: dict[str, Any]) -> bool:
        """Insert or update one row; True when it changed the directory."""
        summary, key = self.run.summary, tuple(values.get(k) for k in self.keys)
        self.seen.add(key)
        if self.keys == ("id",):
            self.run.known_ids(self.tmap.resource).add(values["id"])
        old = self.existing.get(key)
        if old is None:
            self.new_rows.append(values)
            summary.created += 1
            return True
        if all(to_text(old.get(k)) == to_text(v) for k, v in values.items()):
            summary.unchanged += 1
            return False
        where = [self.table.c[k] == old[k] for k in self.keys]
        self.run.session.execute(update(self.table).where(*where).values(**values))
        summary.updated += 1
        return True

    def _touch(self, values: dict[str, Any]) -> None:
        name = self.tmap.resource
        if name == "service":
            self.run.touched_services.add(values["id"])
        if name in {"location", "address"}:
            self.run.touched_locations.add(values.get("location_id") or values["id"])
        for link in _SERVICE_LINKS:
            if values.get(link) and name != "service":
                self.run.touched_services.add(values[link])

    def flush(self) -> None:
        for start in range(0, len(self.new_rows), 2000):
            self.run.session.execute(insert(self.table), self.new_rows[start : start + 2000])
        self.new_rows = []


def _affected_services(run: _Run) -> Iterable[str]:
    """Touched services, and the services at touched locations."""
    services = set(run.touched_services)
    locations = sorted(run.touched_locations)
    for start in range(0, len(locations), 500):
        chunk = locations[start : start + 500]
        services.update(
            run.session.execute(
                select(ServiceAtLocation.service_id).where(ServiceAtLocation.location_id.in_(chunk))
            ).scalars()
        )
    return services
