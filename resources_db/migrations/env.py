"""Alembic environment for the directory's own migrations.

The web app keeps its migrations in the same database, so this history lives in its own
version table (`alembic_version_directory`).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from resources_db.db import VERSION_TABLE, get_engine, run_migrations
from resources_db.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate looks only at the directory's own tables: the web app's tables and the
    SQLite R*Tree (created by hand in 0001) share the database and are not ours to drop."""
    return not (type_ == "table" and reflected and compare_to is None)


def _configure(**how: Any) -> None:
    """The directory's own version table, tables and batch mode, offline or online."""
    context.configure(target_metadata=target_metadata, version_table=VERSION_TABLE,
                      include_object=include_object, render_as_batch=True, **how)


def _connect() -> Connection:
    url = config.attributes.get("rn_url") or config.get_main_option("sqlalchemy.url")
    return get_engine(url).connect()


run_migrations(context, _configure, _connect)
