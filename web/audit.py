"""The audit log: every admin change (who, when, which record, before → after), as CSV too."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from resources_db.editing import Change
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


def _query(filters: AuditFilter) -> Any:
    stmt = select(AuditEntry)
    if filters.record_id:
        stmt = stmt.where(AuditEntry.record_id == filters.record_id)
    if filters.actor:
        stmt = stmt.where(AuditEntry.actor == filters.actor)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
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
