"""Admin edits against re-imports: a field an admin changed keeps the admin's value when its
source is imported again, and the source's differing value is reported as a conflict, until
the admin chooses the source's value for it (`take_source`).

Fields are tracked in groups (table `admin_field`), the way the edit form writes them: the
address moves as a whole, the phone lines as a whole, the week's hours as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from resources_db.importers import fields
from resources_db.importers.records import FacilityRecord
from resources_db.models import AdminField, Attribute, Language, Phone, Schedule

ADMIN_SOURCE = "admin"
#: group -> the snapshot keys it covers
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "description": ("description",),
    "website": ("website",),
    "status": ("status",),
    "address": ("address_1", "address_2", "city", "state", "postal_code", "latitude",
                "longitude"),
    "phones": ("phone", "phone_extension", "phones"),
    "hours": ("hours",),
    "languages": ("languages",),
    "needs": ("needs",),
    "insurance": ("insurance",),
    "populations": ("populations",),
}
LABELS = {"name": "Name", "description": "Description", "website": "Website",
          "status": "Status", "address": "Address", "phones": "Phone lines", "hours": "Hours",
          "languages": "Languages", "needs": "Kinds of help", "insurance": "Payment accepted",
          "populations": "Serves"}
LINK_TYPES = {"needs": "need", "insurance": "payment", "populations": "population"}


@dataclass(frozen=True)
class Conflict:
    """A source value that differs from what an admin set (the admin's was kept)."""

    line: int
    service_id: str
    service_name: str
    field: str
    kept: str
    source: str

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field)

    def __str__(self) -> str:
        return (f"line {self.line}: {self.label} of {self.service_name!r}: kept the admin's "
                f"{self.kept or '(empty)'!s}; the source says {self.source or '(empty)'}")


def changed_groups(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[str]:
    return {group for group, keys in FIELD_GROUPS.items()
            if any(before.get(k) != after.get(k) for k in keys)}


def remember(session: Session, service_id: str, groups: Collection[str]) -> None:
    """Mark fields of a service as the admin's (in the caller's transaction)."""
    if not groups:
        return
    have = set(session.scalars(select(AdminField.field).where(AdminField.service_id == service_id)))
    now = dt.datetime.now(dt.UTC)
    for group in sorted(set(groups) - have):
        session.add(AdminField(service_id=service_id, field=group, changed_at=now))


def _source_values(record: FacilityRecord) -> dict[str, str]:
    """The record's value per group, as text to compare and show."""
    week: dict[str, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for s in record.schedules:
        week[s.byday].append((s.opens_at, s.closes_at))
    return {
        "name": record.name or "",
        "description": record.description or "",
        "website": record.website or "",
        "status": record.status,
        "address": _address(record.address_1, record.city, record.state, record.postal_code),
        "phones": _phones((p.number, p.extension) for p in record.phones),
        "hours": "; ".join(f"{d} {fields.hours_text(sorted(week[d]))}"
                           for d in fields.DAYS if week.get(d)),
        "languages": ", ".join(sorted(record.languages)),
        "needs": ", ".join(sorted(record.needs)),
        "insurance": ", ".join(sorted(record.payments)),
        "populations": ", ".join(sorted(record.populations)),
    }


def _current_values(snapshot: Mapping[str, Any]) -> dict[str, str]:
    main = [(snapshot["phone"], snapshot["phone_extension"])] if snapshot.get("phone") else []
    extra = [(p["number"], p["extension"]) for p in snapshot.get("phones") or []]
    return {
        "name": snapshot.get("name") or "",
        "description": snapshot.get("description") or "",
        "website": snapshot.get("website") or "",
        "status": snapshot.get("status") or "",
        "address": _address(snapshot.get("address_1"), snapshot.get("city"),
                            snapshot.get("state"), snapshot.get("postal_code")),
        "phones": _phones(main + extra),
        "hours": "; ".join(f"{d} {t}" for d, t in (snapshot.get("hours") or {}).items() if t),
        "languages": ", ".join(sorted(snapshot.get("languages") or [])),
        "needs": ", ".join(sorted(snapshot.get("needs") or [])),
        "insurance": ", ".join(sorted(snapshot.get("insurance") or [])),
        "populations": ", ".join(sorted(snapshot.get("populations") or [])),
    }


def _address(street: str | None, city: str | None, state: str | None, zip_: str | None) -> str:
    return ", ".join(p for p in (street, city, f"{state or ''} {zip_ or ''}".strip()) if p)


def _phones(pairs: Any) -> str:
    seen: list[str] = []
    for number, extension in pairs:
        text = f"{number} ext. {extension}" if extension else str(number)
        if text not in seen:
            seen.append(text)
    return ", ".join(seen)


class AdminEdits:
    """The admin-kept fields of the directory, for one import."""

    def __init__(self, session: Session, take_source: Collection[tuple[str, str]] = ()) -> None:
        self.session = session
        self.take_source = set(take_source)
        self.kept: dict[str, set[str]] = defaultdict(set)
        for service_id, group in session.execute(select(AdminField.service_id,
                                                        AdminField.field)):
            self.kept[service_id].add(group)

    def fields_for(self, service_id: str) -> frozenset[str]:
        """The groups kept for the service; those the admin gave back to the source are
        released first (their admin rows removed, so the source's value is written)."""
        groups = self.kept.get(service_id)
        if not groups:
            return frozenset()
        for group in sorted(g for g in groups if (service_id, g) in self.take_source):
            self._release(service_id, group)
            groups.discard(group)
        return frozenset(groups)

    def _release(self, service_id: str, group: str) -> None:
        s = self.session
        s.execute(delete(AdminField).where(AdminField.service_id == service_id,
                                           AdminField.field == group))
        admin_rows: dict[str, type[Phone] | type[Schedule] | type[Language]] = {
            "phones": Phone, "hours": Schedule, "languages": Language}
        if group in admin_rows:
            model = admin_rows[group]
            s.execute(delete(model).where(model.service_id == service_id,
                                          model.source == ADMIN_SOURCE))
        elif group in LINK_TYPES:
            s.execute(delete(Attribute).where(Attribute.link_id == service_id,
                                              Attribute.link_type == LINK_TYPES[group],
                                              Attribute.source == ADMIN_SOURCE))

    def conflicts(self, record: FacilityRecord, service_id: str,
                  kept: frozenset[str]) -> list[Conflict]:
        """Kept groups where the record says something else than the directory now does."""
        if not kept:
            return []
        from resources_db.editing.queries import snapshot

        current = snapshot(self.session, service_id)
        now, said = _current_values(current), _source_values(record)
        return [Conflict(record.line, service_id, current["name"], group, now[group],
                         said[group])
                for group in FIELD_GROUPS if group in kept and now[group] != said[group]]
