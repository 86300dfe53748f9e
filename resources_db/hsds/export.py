"""HSDS 3.1 export: every official table under its official file name and columns.

Required values the directory does not hold are derived honestly from what it knows
(an organization without a description is "Listed in <source>"); nothing is invented.
Tables HSDS has and the directory does not fill (programs, contacts, …) are written with
their header only, so the package is complete and validates.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from resources_db import normalize
from resources_db.gazetteer.timezones import timezone_for_zip
from resources_db.hours import BYDAY, state_timezone
from resources_db.hsds.mapping import (
    RECORD_SOURCE,
    TABLE_MAPS,
    TAXONOMY,
    UNIT,
    TableMap,
    derived_org_description,
    derived_term_description,
    taxonomy_id,
    to_text,
    unit_id,
)
from resources_db.hsds.package import datapackage, extension_fields, file_name
from resources_db.hsds.standard import resources
from resources_db.importers.base import stable_id
from resources_db.models import Address, Service, ServiceCapacity

ALL_DAY_TEXT = "24/7"


def columns(resource: str) -> list[str]:
    """The columns of one exported table: HSDS fields first, then our `x_` extensions."""
    official = list(resources()[resource].field_names) if resource in resources() else []
    return official + [f["name"] for f in extension_fields(resource)]


def _base_rows(session: Session, tmap: TableMap) -> list[dict[str, Any]]:
    table = tmap.table
    order = (
        (table.c.source, table.c.source_record_id)
        if tmap.resource == RECORD_SOURCE
        else (table.c.id,)
    )
    fields = tmap.column_of()
    return [
        {"_row": row, **{name: to_text(row[c.name]) for name, c in fields.items()}}
        for row in session.execute(select(table).order_by(*order)).mappings()
    ]


def _organizations(rows: list[dict[str, Any]], session: Session) -> None:
    for out in rows:
        row = out["_row"]
        out["description"] = row["description"] or derived_org_description(row["source"])


def _terms(rows: list[dict[str, Any]], session: Session) -> None:
    repeats = Counter(out["_row"]["code"] for out in rows)
    for out in rows:
        row = out["_row"]
        code, taxonomy = row["code"], row["taxonomy"]
        out["code"] = code if repeats[code] == 1 else f"{taxonomy}:{code}"
        out["x_code"] = code
        out["description"] = row["description"] or derived_term_description(taxonomy, row["name"])
        out["taxonomy_id"] = taxonomy_id(taxonomy)


def _locations(rows: list[dict[str, Any]], session: Session) -> None:
    """A location's time zone: its own, else its ZIP's, else its state's (one-zone states)."""
    places: dict[str, tuple[str, str]] = {}
    for location_id, postal_code, state in session.execute(
        select(Address.location_id, Address.postal_code, Address.state_province).order_by(
            Address.address_type.desc()
        )
    ):
        places.setdefault(location_id, (postal_code, state))
    for out in rows:
        row = out["_row"]
        postal_code, state = places.get(row["id"], ("", ""))
        out["x_timezone"] = (
            row["timezone"]
            or (timezone_for_zip(postal_code) if postal_code else None)
            or state_timezone(state)
        )


def _phones(rows: list[dict[str, Any]], session: Session) -> None:
    for out in rows:
        extension = out["_row"]["extension"]
        plain = extension is not None and extension.isdigit()
        out["extension"] = extension if plain else None
        out["x_extension"] = None if plain else extension


def _capacities(rows: list[dict[str, Any]], session: Session) -> None:
    for out in rows:
        out["unit_id"] = unit_id(out["_row"]["unit"])


def _all_day_schedules(rows: list[dict[str, Any]], session: Session) -> None:
    """A service whose hours are "24/7" and that has no schedule gets seven all-day spans
    (00:00 to 00:00 is the whole day, as in resources_db.hours)."""
    scheduled = {out["service_id"] for out in rows}
    services = session.execute(
        select(Service.id, Service.source, Service.source_record_id, Service.last_verified)
        .where(Service.hours_text == ALL_DAY_TEXT)
        .order_by(Service.id)
    ).all()
    for service_id, source, record_id, verified in services:
        if service_id in scheduled:
            continue
        for day in BYDAY:
            rows.append(
                {
                    "id": stable_id("schedule", service_id, day, ALL_DAY_TEXT),
                    "service_id": service_id,
                    "freq": "WEEKLY",
                    "byday": day,
                    "opens_at": "00:00:00",
                    "closes_at": "00:00:00",
                    "description": "Open 24 hours, 7 days a week",
                    "x_source": source,
                    "x_source_record_id": record_id,
                    "x_last_verified": to_text(verified),
                    "x_version": 1,
                }
            )
    rows.sort(key=lambda out: str(out["id"]))


_HOOKS = {
    "organization": _organizations,
    "taxonomy_term": _terms,
    "location": _locations,
    "phone": _phones,
    "service_capacity": _capacities,
    "schedule": _all_day_schedules,
}


def export_tables(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every exported table by name (HSDS names, then `x_record_source`) as row dicts."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in resources()}
    for tmap in TABLE_MAPS:
        rows = _base_rows(session, tmap)
        hook = _HOOKS.get(tmap.resource)
        if hook:
            hook(rows, session)
        tables[tmap.resource] = [{k: v for k, v in r.items() if k != "_row"} for r in rows]
    _own_organizations(tables["service"], tables["organization"])
    names = sorted({r["taxonomy"] for r in tables["taxonomy_term"]})
    tables[TAXONOMY] = [_taxonomy(name) for name in names]
    units = sorted(set(session.execute(select(ServiceCapacity.unit)).scalars()))
    tables[UNIT] = [{"id": unit_id(name), "name": name} for name in units]
    return tables


def _own_organizations(services: list[dict[str, Any]], orgs: list[dict[str, Any]]) -> None:
    """HSDS requires a service's organization: a service without one (an admin may create
    it so) is its own organization, as the importers make it (same name, same id rule)."""
    by_key = {org["x_name_key"]: org["id"] for org in orgs}
    added = False
    for service in services:
        if service["organization_id"] is not None:
            continue
        key = normalize.name_key(service["name"]) or service["name"].lower()
        if key not in by_key:
            by_key[key] = stable_id("organization", key)
            orgs.append(
                {
                    "id": by_key[key],
                    "name": service["name"],
                    "description": derived_org_description(service["x_source"]),
                    "x_name_key": key,
                    "x_source": service["x_source"],
                    "x_last_verified": service["x_last_verified"],
                    "x_version": 1,
                }
            )
            added = True
        service["organization_id"] = by_key[key]
    if added:
        orgs.sort(key=lambda org: str(org["id"]))


def _taxonomy(name: str) -> dict[str, Any]:
    if name.startswith("recovery-navigator-"):
        what = f"Recovery Navigator's own vocabulary of {name.removeprefix('recovery-navigator-')}"
    else:
        what = f"Codes and values as the {name} source lists them"
    return {"id": taxonomy_id(name), "name": name, "description": what}


def _csv_text(rows: list[dict[str, Any]], fields: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in fields})
    return buffer.getvalue()


def _json_text(rows: list[dict[str, Any]], fields: list[str]) -> str:
    records = [{k: row.get(k) for k in fields} for row in rows]
    return json.dumps(records, indent=1, ensure_ascii=False) + "\n"


def export_hsds(session: Session, out: Path, *, as_json: bool = False) -> dict[str, int]:
    """Write the directory as HSDS 3.1 to a folder (or a .zip when `out` ends in .zip);
    returns the row count of every table."""
    tables = export_tables(session)
    files: dict[str, str] = {}
    for name, rows in tables.items():
        write = _json_text if as_json else _csv_text
        files[file_name(name, as_json)] = write(rows, columns(name))
    package = datapackage(as_json=as_json)
    files["datapackage.json"] = json.dumps(package, indent=1, ensure_ascii=False) + "\n"
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
