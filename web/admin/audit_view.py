"""The audit log as a person reads it: the service's name, and only the fields that changed.

The log stores whole before/after snapshots (the CSV export keeps them raw); this module turns
a pair of snapshots into labelled field changes (before → after, lists as added / removed)
for the page. Bookkeeping keys (ids, versions) are never shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from resources_db.models import Service

#: snapshot keys in the order the edit form shows them, with their labels
LABELS: dict[str, str] = {
    "name": "Name",
    "organization": "Organization",
    "description": "Description",
    "website": "Website",
    "phone": "Phone",
    "phone_extension": "Extension",
    "phones": "Other phone lines",
    "address_1": "Street address",
    "address_2": "Suite, floor",
    "city": "City",
    "state": "State",
    "postal_code": "ZIP code",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "hours": "Hours",
    "languages": "Languages",
    "needs": "Kinds of help",
    "insurance": "Payment accepted",
    "populations": "Serves",
    "no_fixed_address": "No fixed address",
    "service_area": "Area served",
    "peer_run": "Peer-run",
    "fees_description": "Cost",
    "eligibility_description": "Who can use it",
    "minimum_age": "Youngest age served",
    "maximum_age": "Oldest age served",
    "application_process": "How to get help",
    "status": "Status",
    "last_verified": "Last verified",
    "admin_fields": "Fields kept from re-imports",
    # capacity
    "available": "Open",
    "total": "Total",
    "unit": "Unit",
    "updated_by": "Reported by",
    # imports, accounts, tokens
    "format": "Format",
    "filename": "File",
    "created": "New",
    "updated": "Updated",
    "merged": "Merged",
    "unchanged": "Unchanged",
    "error_count": "Rows with errors",
    "username": "Account",
    "disabled": "Disabled",
    "scopes": "Scopes",
    "service_ids": "Services",
}
HIDDEN = frozenset({"id", "version", "location_id", "source", "scope", "capacity", "updated_at"})
SERVICE_RECORDS = frozenset({"service", "service_capacity"})


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    before: str | None
    after: str | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) or "" for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if _text(v) is not None)
    return str(value)


def _items(value: Any) -> list[str]:
    return [_text(v) or "" for v in value] if isinstance(value, list) else []


def field_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[FieldChange]:
    """The fields whose value differs between two snapshots, in the form's order."""
    old, new = before or {}, after or {}
    keys = [k for k in LABELS if k in old or k in new]
    keys += sorted(k for k in {*old, *new} if k not in LABELS and k not in HIDDEN)
    changes = []
    for key in keys:
        was, now = _text(old.get(key)), _text(new.get(key))
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            was, now = _dict_difference(old[key], new[key])
        if was == now:
            continue
        gone = [v for v in _items(old.get(key)) if v not in _items(new.get(key))]
        came = [v for v in _items(new.get(key)) if v not in _items(old.get(key))]
        changes.append(FieldChange(key, LABELS.get(key, key.replace("_", " ").capitalize()),
                                   was, now, came, gone))
    return changes


def _dict_difference(old: dict[str, Any], new: dict[str, Any]) -> tuple[str | None, str | None]:
    """Only the entries that differ (a week's hours: just the days that changed)."""
    keys = [k for k in {**old, **new} if old.get(k) != new.get(k)]
    days = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat",
            "SU": "Sun"}

    def side(values: dict[str, Any]) -> str | None:
        return "; ".join(f"{days.get(k, k)} {_text(values.get(k)) or 'closed'}"
                         for k in keys) or None

    return side(old), side(new)


def service_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(Service.id, Service.name).where(Service.id.in_(wanted)))
    return {str(service_id): str(name) for service_id, name in rows}


def readable(session: Session, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Audit entries (as_json) with the service's name and their field changes."""
    names = service_names(
        session, (e["record_id"] for e in items if e["record_type"] in SERVICE_RECORDS))
    return [
        {**entry,
         "service_name": names.get(entry["record_id"]),
         "changes": field_changes(entry["before"], entry["after"])}
        for entry in items
    ]
