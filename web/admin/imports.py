"""Imports with preview: upload → dry run (nothing written) → commit or cancel.

The uploaded file waits in a private temporary folder under a random id bound to the admin's
session; a preview runs the real importer inside a transaction that is rolled back, so what
it reports (created / updated / merged / unchanged, per-row errors with line numbers) is
exactly what a commit will do, unless the directory changes in between.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

from resources_db.db import get_engine, session_scope
from resources_db.editing import Change
from resources_db.importers.admin_edits import FIELD_GROUPS
from resources_db.importers.base import ImportSummary
from resources_db.importers.hsds import import_hsds
from resources_db.importers.registry import FORMATS, run_import
from web import audit

HSDS = "hsds"
#: pending uploads older than this are dropped
MAX_AGE_SECONDS = 3600
MAX_ERRORS_SHOWN = 200


def format_names() -> list[str]:
    return [HSDS, *FORMATS]


@dataclass
class Pending:
    id: str
    session_token: str
    format: str
    filename: str
    path: Path
    created: float = field(default_factory=time.monotonic)


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


def preview(database_url: str, pending: Pending) -> dict[str, Any]:
    """Run the import and roll it back: what would happen, with nothing written."""
    session = sessionmaker(bind=get_engine(database_url))()
    try:
        return summary_json(_run(session, pending.format, pending.path))
    finally:
        session.rollback()
        session.close()


def commit(database_url: str, pending: Pending, actor_name: str,
           take_source: Collection[tuple[str, str]] = ()) -> dict[str, Any]:
    """Import for real; the audit entry commits in the same transaction as the rows.
    `take_source`: the conflicts where the admin chose the source's value."""
    with session_scope(database_url) as session:
        summary = summary_json(_run(session, pending.format, pending.path, take_source))
        counts = ("created", "updated", "merged", "unchanged", "error_count")
        audit.record(session, actor_name, Change("import", "import", pending.id, None, {
            "format": pending.format, "filename": pending.filename,
            **{key: summary[key] for key in counts}}))
        return summary


class PendingImports:
    """Uploads waiting for commit or cancel, in a private temporary folder."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="rn-imports-"))
        self.items: dict[str, Pending] = {}

    def add(self, session_token: str, fmt: str, filename: str, data: bytes) -> Pending:
        self._expire()
        key = secrets.token_urlsafe(16)
        suffix = "".join(Path(filename).suffixes[-1:]).lower()[:8] or ".dat"
        folder = self.root / key
        folder.mkdir()
        path = folder / f"upload{suffix}"
        path.write_bytes(data)
        pending = Pending(key, session_token, fmt, Path(filename).name[:200], path)
        self.items[key] = pending
        return pending

    def get(self, key: str, session_token: str) -> Pending | None:
        """The upload, only for the session that made it."""
        pending = self.items.get(key)
        if pending is None or not secrets.compare_digest(pending.session_token, session_token):
            return None
        return pending

    def drop(self, key: str) -> None:
        pending = self.items.pop(key, None)
        if pending is not None:
            shutil.rmtree(pending.path.parent, ignore_errors=True)

    def _expire(self) -> None:
        cutoff = time.monotonic() - MAX_AGE_SECONDS
        for key in [k for k, p in self.items.items() if p.created < cutoff]:
            self.drop(key)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
