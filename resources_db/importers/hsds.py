"""Open Referral HSDS 3 export and import (tabular CSV data package, or JSON per table).

Export writes one file per HSDS table (`organization`, `service`, `location`,
`service_at_location`, `address`, `phone`, `schedule`, `language`, `service_capacity`,
`unit`, `taxonomy_term`, `attribute`) plus our extension table `x_record_source` and a
`datapackage.json` describing them. Columns carry the HSDS field names; our extras
(provenance: `source`, `source_record_id`, `last_verified`; `version`; `service.scope`,
`service.hours_text`, `location.timezone`, `location.match_key`, `organization.name_key`)
are extra columns, which HSDS consumers ignore. Export then import then export gives the
same files (a test).

Import reads a folder, a .zip, or a `datapackage.json` path, with `<table>.csv` or
`<table>.json` files, upserts every row by id in one transaction (so importing twice
changes nothing) and reports bad rows by file, line and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Table, Time, insert, select, update
from sqlalchemy.orm import Session

from resources_db import normalize, search_index
from resources_db.importers.base import ImportSummary, RowError, stable_id
from resources_db.models import (
    Address,
    Attribute,
    Base,
    Language,
    Location,
    Organization,
    Phone,
    RecordSource,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
)

DEFAULT_SOURCE = "hsds"


@dataclass(frozen=True)
class _TableSpec:
    name: str
    table: Table
    #: our column -> HSDS field name where they differ
    renames: dict[str, str]


def _table(model: type[Base]) -> Table:
    return model.__table__  # type: ignore[return-value]


#: in foreign-key order
TABLES: tuple[_TableSpec, ...] = (
    _TableSpec("organization", _table(Organization), {}),
    _TableSpec("taxonomy_term", _table(TaxonomyTerm), {}),
    _TableSpec("service", _table(Service), {}),
    _TableSpec("location", _table(Location), {}),
    _TableSpec("service_at_location", _table(ServiceAtLocation), {}),
    _TableSpec("address", _table(Address), {}),
    _TableSpec("phone", _table(Phone), {}),
    _TableSpec("schedule", _table(Schedule), {}),
    _TableSpec("language", _table(Language), {}),
    _TableSpec("service_capacity", _table(ServiceCapacity), {"updated_at": "updated"}),
    _TableSpec("attribute", _table(Attribute), {}),
    _TableSpec("x_record_source", _table(RecordSource), {}),
)
UNIT_TABLE = "unit"


# --------------------------------------------------------------------------------------
# values


def _to_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _from_text(column: Any, raw: Any) -> Any:
    """Convert a CSV/JSON value to the column's Python type (ValueError if it cannot)."""
    if raw is None or raw == "":
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        value = dt.datetime.fromisoformat(str(raw))
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
        return int(raw)
    if isinstance(kind, Float):
        return float(raw)
    return str(raw)


# --------------------------------------------------------------------------------------
# export


def _rows(session: Session, spec: _TableSpec) -> list[dict[str, Any]]:
    table = spec.table
    order = table.c.id
    rows = []
    for row in session.execute(select(table).order_by(order)).mappings():
        out: dict[str, Any] = {}
        for column in table.columns:
            name = spec.renames.get(column.name, column.name)
            out[name] = _to_text(row[column.name])
        if spec.name == "service_capacity":
            out["unit_id"] = stable_id("unit", out["unit"])
        if spec.name == "x_record_source":
            out.pop("id")
        rows.append(out)
    return rows


def _units(capacities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = sorted({row["unit"] for row in capacities})
    return [{"id": stable_id("unit", name), "name": name} for name in names]


def export_tables(session: Session) -> dict[str, list[dict[str, Any]]]:
    tables = {spec.name: _rows(session, spec) for spec in TABLES}
    tables[UNIT_TABLE] = _units(tables["service_capacity"])
    tables["x_record_source"].sort(key=lambda r: (r["source"], r["source_record_id"]))
    return tables


def _csv_text(rows: list[dict[str, Any]], fields: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def _fields(spec_name: str) -> list[str]:
    if spec_name == UNIT_TABLE:
        return ["id", "name"]
    spec = next(s for s in TABLES if s.name == spec_name)
    names = [spec.renames.get(c.name, c.name) for c in spec.table.columns]
    if spec_name == "service_capacity":
        names.append("unit_id")
    if spec_name == "x_record_source":
        names.remove("id")
    return names


def export_hsds(session: Session, out: Path, *, as_json: bool = False) -> dict[str, int]:
    """Write the directory as HSDS to a folder (or a .zip when `out` ends in .zip)."""
    tables = export_tables(session)
    files: dict[str, str] = {}
    resources = []
    for name, rows in tables.items():
        fields = _fields(name)
        if as_json:
            files[f"{name}.json"] = json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
        else:
            files[f"{name}.csv"] = _csv_text(rows, fields)
        resources.append(
            {
                "name": name,
                "path": f"{name}.json" if as_json else f"{name}.csv",
                "profile": "tabular-data-resource" if not as_json else "data-resource",
                "schema": {"fields": [{"name": f} for f in fields], "primaryKey": "id"},
            }
        )
    package = {
        "name": "recovery-navigator-directory",
        "profile": "tabular-data-package",
        "description": "Open Referral HSDS 3 export of the Recovery Navigator directory.",
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(package, indent=1) + "\n"
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(files.items()):
                archive.writestr(name, content)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (out / name).write_text(content, encoding="utf-8")
    return {name: len(rows) for name, rows in tables.items()}


# --------------------------------------------------------------------------------------
# import


def _folder(path: Path, stack: tempfile.TemporaryDirectory[str] | None) -> Path:
    if path.is_dir():
        return path
    if path.suffix.lower() == ".zip":
        if stack is None:
            raise ValueError("zip import needs a temporary folder")
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                target = (Path(stack.name) / member).resolve()
                if not target.is_relative_to(Path(stack.name).resolve()):
                    raise ValueError(f"unsafe path in zip: {member}")
            archive.extractall(stack.name)
        found = list(Path(stack.name).rglob("datapackage.json")) + list(
            Path(stack.name).rglob("service.*")
        )
        return found[0].parent if found else Path(stack.name)
    return path.parent


def _read_table(folder: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]] | None:
    csv_path, json_path = folder / f"{name}.csv", folder / f"{name}.json"
    if csv_path.exists():
        reader = csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"), newline=""))
        return ((reader.line_num, row) for row in reader)
    if json_path.exists():
        data = json.loads(json_path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise ValueError(f"{json_path.name}: expected a list of records")
        return ((n, row) for n, row in enumerate(data, start=1))
    return None


def _defaults(spec: _TableSpec, values: dict[str, Any]) -> None:
    """Fill our extension columns for HSDS data that does not carry them."""
    columns = spec.table.c
    if "source" in columns and not values.get("source"):
        values["source"] = DEFAULT_SOURCE
    if "version" in columns and not values.get("version"):
        values["version"] = 1
    if spec.name == "organization" and not values.get("name_key"):
        values["name_key"] = normalize.name_key(values.get("name") or "")
    for name in ("status",):
        if name in columns and not values.get(name):
            values[name] = "active"
    if spec.name == "service" and not values.get("scope"):
        values["scope"] = "local"
    if spec.name == "attribute" and not values.get("link_entity"):
        values["link_entity"] = "service"


def _convert(
    spec: _TableSpec, line: int, row: dict[str, Any], units: dict[str, str]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    back = {v: k for k, v in spec.renames.items()}
    for key, raw in row.items():
        column_name = back.get(key, key)
        if column_name not in spec.table.c:
            continue
        try:
            values[column_name] = _from_text(spec.table.c[column_name], raw)
        except ValueError as error:
            raise _RowProblem(line, f"{spec.name}.{key}", str(error)) from None
    if spec.name == "service_capacity" and not values.get("unit"):
        values["unit"] = units.get(str(row.get("unit_id") or ""))
    _defaults(spec, values)
    for column in spec.table.columns:
        if column.name == "id" and spec.name == "x_record_source":
            continue
        if not column.nullable and values.get(column.name) is None and column.default is None:
            raise _RowProblem(line, f"{spec.name}.{column.name}", "missing")
    return values


class _RowProblem(ValueError):
    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.error = RowError(line, field, reason)


def _foreign_keys_ok(
    spec: _TableSpec, values: dict[str, Any], known: dict[str, set[str]]
) -> str | None:
    for column in spec.table.columns:
        for fk in column.foreign_keys:
            target = fk.column.table.name
            value = values.get(column.name)
            if value is not None and value not in known.setdefault(target, set()):
                return f"{column.name} {value!r} is not a known {target}"
    return None


def import_hsds(session: Session, path: Path) -> ImportSummary:
    """Upsert an HSDS export (folder, .zip or datapackage.json) in one transaction."""
    summary = ImportSummary(DEFAULT_SOURCE)
    temp = tempfile.TemporaryDirectory() if path.suffix.lower() == ".zip" else None
    try:
        folder = _folder(path, temp)
        units = {
            str(row.get("id")): str(row.get("name"))
            for _, row in (_read_table(folder, UNIT_TABLE) or iter(()))
        }
        known: dict[str, set[str]] = {}
        found_any = False
        for spec in TABLES:
            rows = _read_table(folder, spec.name)
            if rows is None:
                continue
            found_any = True
            _import_table(session, spec, rows, units, known, summary)
        if not found_any:
            summary.errors.append(RowError(1, "file", _no_tables_message(path)))
        session.flush()
        if summary.created or summary.updated:
            # locations, addresses and terms change cards too: rebuild the whole index
            search_index.rebuild(session)
    finally:
        if temp is not None:
            temp.cleanup()
    return summary


def _no_tables_message(path: Path) -> str:
    message = (
        "no HSDS tables (service.csv/json …) found: an HSDS import takes a folder, a .zip "
        "or a datapackage.json"
    )
    if path.suffix.lower() in {".csv", ".json", ".txt"}:
        kind = "CSV" if path.suffix.lower() != ".json" else "JSON"
        message += f". This is a single {kind} file: check the format you chose"
    return message


def _import_table(
    session: Session,
    spec: _TableSpec,
    rows: Iterator[tuple[int, dict[str, Any]]],
    units: dict[str, str],
    known: dict[str, set[str]],
    summary: ImportSummary,
) -> None:
    table = spec.table
    key_columns = ("source", "source_record_id") if spec.name == "x_record_source" else ("id",)
    existing: dict[tuple[Any, ...], dict[str, Any]] = {
        tuple(row[k] for k in key_columns): dict(row)
        for row in session.execute(select(table)).mappings()
    }
    for target in {fk.column.table.name for c in table.columns for fk in c.foreign_keys}:
        if target not in known:
            known[target] = set(session.execute(select(_by_name(target).c.id)).scalars())
    known.setdefault(table.name, set()).update(
        k[0] for k in existing if spec.name != "x_record_source"
    )
    new_rows: list[dict[str, Any]] = []
    for line, row in rows:
        try:
            values = _convert(spec, line, row, units)
        except _RowProblem as problem:
            summary.errors.append(problem.error)
            continue
        problem_text = _foreign_keys_ok(spec, values, known)
        if problem_text:
            summary.errors.append(RowError(line, spec.name, problem_text))
            continue
        key = tuple(values.get(k) for k in key_columns)
        if spec.name == "x_record_source":
            values.pop("id", None)
        old = existing.get(key)
        if old is None:
            new_rows.append(values)
            existing[key] = values
            if spec.name != "x_record_source":
                known[table.name].add(values["id"])
            summary.created += 1
        elif all(_to_text(old.get(k)) == _to_text(v) for k, v in values.items()):
            summary.unchanged += 1
        else:
            where = [table.c[k] == old[k] for k in key_columns]
            session.execute(update(table).where(*where).values(**values))
            summary.updated += 1
    for start in range(0, len(new_rows), 2000):
        session.execute(insert(table), new_rows[start : start + 2000])


def _by_name(name: str) -> Table:
    return Base.metadata.tables[name]
