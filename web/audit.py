"""The audit log: every admin change (who, when, which record, before → after), as CSV too."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from resources_db.editing import Change
from resources_db.models import Service
from web.models import AuditEntry, utcnow

CSV_FIELDS = ("at", "actor", "action", "record_type", "record_id", "before", "after")


def record(session: Session, actor: str, change: Change, at: datetime | None = None) -> None:
    """Add the change to the log in the caller's transaction (it commits with the edit)."""
    session.add(
        AuditEntry(
            at=at or utcnow(),
            actor=actor[:160],
            action=change.action,
            record_type=change.record_type,
            record_id=change.record_id,
            before=change.before,
            after=change.after,
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    record_id: str | None = None
    actor: str | None = None
    action: str | None = None
    #: a service's id or part of its name
    service: str | None = None
    #: part of the actor ("example-admin" finds "user:example-admin")
    person: str | None = None
    #: UTC dates, both included
    since: date | None = None
    until: date | None = None


class BadFilter(ValueError):
    """A filter value the log cannot use (a date that is not YYYY-MM-DD)."""


def _date(raw: str | None) -> date | None:
    if not raw or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise BadFilter("Enter dates as YYYY-MM-DD, e.g. 2026-11-24.") from None


def parse_filter(query: Mapping[str, str]) -> AuditFilter:
    """Filters from a query string (record_id, service, person, since, until)."""
    def text(key: str) -> str | None:
        value = (query.get(key) or "").strip()
        return value[:200] or None

    return AuditFilter(record_id=text("record_id"), service=text("service"),
                       person=text("person"), since=_date(query.get("since")),
                       until=_date(query.get("until")))


def _query(filters: AuditFilter) -> Any:
    stmt = select(AuditEntry)
    if filters.record_id:
        stmt = stmt.where(AuditEntry.record_id == filters.record_id)
    if filters.actor:
        stmt = stmt.where(AuditEntry.actor == filters.actor)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.service:
        named = select(Service.id).where(
            func.lower(Service.name).like(f"%{filters.service.lower()}%"))
        stmt = stmt.where(or_(AuditEntry.record_id == filters.service,
                              AuditEntry.record_id.in_(named)))
    if filters.person:
        stmt = stmt.where(func.lower(AuditEntry.actor).like(f"%{filters.person.lower()}%"))
    if filters.since:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        next_day = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        stmt = stmt.where(AuditEntry.at < next_day)
    return stmt


def as_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "actor": entry.actor,
        "action": entry.action,
        "record_type": entry.record_type,
        "record_id": entry.record_id,
        "before": entry.before,
        "after": entry.after,
    }


def entries(
    session: Session, filters: AuditFilter, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of entries, newest first, and the total."""
    stmt = _query(filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(AuditEntry.id.desc()).limit(per_page).offset((max(page, 1) - 1) * per_page)
    )
    return [as_json(row) for row in rows], total


def csv_lines(session: Session, filters: AuditFilter) -> Iterator[str]:
    """The whole (filtered) log as CSV text, oldest first; before/after as JSON cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for row in session.scalars(_query(filters).order_by(AuditEntry.id)):
        item = as_json(row)
        writer.writerow(
            [item["at"], item["actor"], item["action"], item["record_type"], item["record_id"],
             json.dumps(item["before"], sort_keys=True) if item["before"] is not None else "",
             json.dumps(item["after"], sort_keys=True) if item["after"] is not None else ""]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()
