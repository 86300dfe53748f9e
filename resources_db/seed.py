"""Build the default directory from all bundled real data in resources_db/seed/."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from resources_db import search_index
from resources_db.db import session_scope, upgrade_database
from resources_db.importers.base import ImportSummary
from resources_db.importers.registry import SEED_ORDER, run_import, seed_file
from resources_db.models import Service


def is_empty(session: Session) -> bool:
    return not session.execute(select(func.count()).select_from(Service)).scalar()


def import_bundled(session: Session, *, progress: bool = False) -> list[ImportSummary]:
    """Import every bundled file in SEED_ORDER, then rebuild the search index once."""
    summaries = [
        run_import(session, name, seed_file(name), progress=progress, refresh_index=False)
        for name in SEED_ORDER
    ]
    search_index.rebuild(session)
    return summaries


def seed_database(
    url: str | None = None, *, force: bool = False, progress: bool = False
) -> list[ImportSummary] | None:
    """Migrate, then import the bundled data if the directory is empty (or `force`).

    Returns the import summaries, or None when the directory already had data. The whole
    seed is one transaction.
    """
    upgrade_database(url)
    with session_scope(url) as session:
        if not force and not is_empty(session):
            return None
        return import_bundled(session, progress=progress)
