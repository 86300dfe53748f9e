"""Imports with preview: upload → dry run (nothing written) → commit or cancel.

The uploaded file waits in the web database (web_pending_imports) under a random id bound to
the admin's session, so the preview may run on one web instance and the commit or cancel on
another: no sticky sessions (issue 20). A preview runs the real importer inside a transaction
that is rolled back, so what it reports (created / updated / merged / unchanged, per-row
errors with line numbers) is exactly what a commit will do, unless the directory changes in
between. A commit takes the upload out of the table in the same transaction as the imported
rows, so an upload commits once even when two instances are asked at the same moment.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from resources_db.db import get_engine, session_scope
from resources_db.editing import Change
from resources_db.importers.admin_edits import FIELD_GROUPS
from resources_db.importers.base import ImportSummary
from resources_db.importers.hsds import import_hsds
from resources_db.importers.registry import FORMATS, run_import
from web import audit
from web.models import PendingImport

HSDS = "hsds"
#: pending uploads older than this are dropped
MAX_AGE_SECONDS = 3600
MAX_ERRORS_SHOWN = 200


def format_names() -> list[str]:
    return [HSDS, *FORMATS]


@dataclass(frozen=True)
class Pending:
    """An upload waiting for commit or cancel (what the pages and the API show of it)."""

    id: str
    session_token: str
    format: str
    filename: str
    data: bytes = field(repr=False)

    @classmethod
    def from_row(cls, row: PendingImport) -> Pending:
        return cls(row.id, row.session_token, row.format, row.filename, row.data)


@contextmanager
def _as_file(pending: Pending) -> Iterator[Path]:
    """The upload as a file in a private temporary folder, for the importers (which read
    paths and go by the suffix: .zip, .json, .csv); removed afterwards."""
    suffix = "".join(Path(pending.filename).suffixes[-1:]).lower()[:8] or ".dat"
    with tempfile.TemporaryDirectory(prefix="rn-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(pending.data)
        yield path


def _run(session: Any, fmt: str, path: Path,
         take_source: Collection[tuple[str, str]] = ()) -> ImportSummary:
    if fmt == HSDS:
        return import_hsds(session, path)
    return run_import(session, fmt, path, take_source=take_source)


def parse_take_source(values: list[str]) -> set[tuple[str, str]]:
    """"service-id:field" choices from the preview's conflict checkboxes."""
    pairs = set()
    for value in values[:10_000]:
        service_id, _, group = value.partition(":")
        if service_id and group in FIELD_GROUPS:
            pairs.add((service_id[:64], group))
    return pairs


def summary_json(summary: ImportSummary) -> dict[str, Any]:
    return {
        "created": summary.created,
        "updated": summary.updated,
        "merged": summary.merged,
        "unchanged": summary.unchanged,
        "error_count": len(summary.errors),
        #: rows a commit would write (new, updated or merged); 0 -> nothing to commit
        "importable": summary.created + summary.updated + summary.merged,
        "errors": [{"line": e.line, "field": e.field, "reason": e.reason}
                   for e in summary.errors[:MAX_ERRORS_SHOWN]],
        "warnings": [{"line": e.line, "field": e.field, "reason": e.reason}
                     for e in summary.warnings[:MAX_ERRORS_SHOWN]],
        #: fields an admin changed, kept against a differing source value
        "conflicts": [{"line": c.line, "service_id": c.service_id,
                       "service_name": c.service_name, "field": c.field, "label": c.label,
                       "kept": c.kept, "source": c.source}
                      for c in summary.conflicts[:MAX_ERRORS_SHOWN]],
    }


def _cutoff(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(seconds=MAX_AGE_SECONDS)


def expire(database_url: str, now: datetime | None = None) -> int:
    """Drop uploads older than MAX_AGE_SECONDS; how many went."""
    with session_scope(database_url) as session:
        result = session.execute(
            delete(PendingImport).where(PendingImport.created_at < _cutoff(now)))
        return int(getattr(result, "rowcount", 0) or 0)


def store(database_url: str, session_token: str, fmt: str, filename: str,
          data: bytes) -> Pending:
    """Keep an upload for its preview and later commit; drops expired ones on the way."""
    expire(database_url)
    row = PendingImport(id=secrets.token_urlsafe(16), session_token=session_token, format=fmt,
                        filename=Path(filename).name[:200] or "upload", data=data)
    with session_scope(database_url) as session:
        session.add(row)
        session.flush()
        return Pending.from_row(row)


def _take(session: Session, key: str, session_token: str,
          now: datetime | None) -> Pending | None:
    """The upload, only for the session that made it and while it is fresh, removed from
    the table in `session`'s transaction (locked until then on PostgreSQL)."""
    row = session.scalar(
        select(PendingImport).where(PendingImport.id == key[:64]).with_for_update())
    if row is None or not secrets.compare_digest(row.session_token, session_token):
        return None
    if row.created_at < _cutoff(now):
        session.delete(row)
        return None
    pending = Pending.from_row(row)
    session.delete(row)
    session.flush()
    return pending


def preview(database_url: str, pending: Pending) -> dict[str, Any]:
    """Run the import and roll it back: what would happen, with nothing written."""
    session = sessionmaker(bind=get_engine(database_url))()
    try:
        with _as_file(pending) as path:
            return summary_json(_run(session, pending.format, path))
    finally:
        session.rollback()
        session.close()


def commit(database_url: str, key: str, session_token: str, actor_name: str,
           take_source: Collection[tuple[str, str]] = (),
           now: datetime | None = None) -> tuple[Pending, dict[str, Any]] | None:
    """Import the session's upload `key` for real, or None if there is no such upload (never
    made, another session's, expired, already committed or cancelled). The upload leaves the
    table, and the audit entry goes in, in the same transaction as the rows.
    `take_source`: the conflicts where the admin chose the source's value."""
    with session_scope(database_url) as session:
        pending = _take(session, key, session_token, now)
        if pending is None:
            return None
        with _as_file(pending) as path:
            summary = summary_json(_run(session, pending.format, path, take_source))
        counts = ("created", "updated", "merged", "unchanged", "error_count")
        audit.record(session, actor_name, Change("import", "import", pending.id, None, {
            "format": pending.format, "filename": pending.filename,
            **{name: summary[name] for name in counts}}))
        return pending, summary


def cancel(database_url: str, key: str, session_token: str) -> bool:
    """Drop the session's upload `key`; False if there was none to drop."""
    with session_scope(database_url) as session:
        return _take(session, key, session_token, None) is not None
