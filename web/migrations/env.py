"""Alembic environment for the web app's tables (version table alembic_version_web)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from resources_db.db import run_migrations
from web.db import VERSION_TABLE
from web.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(**how: Any) -> None:
    """The web app's own version table; batch mode (tables copied to alter them) on SQLite."""
    connection = how.get("connection")
    context.configure(target_metadata=target_metadata, version_table=VERSION_TABLE,
                      render_as_batch=connection is not None
                      and connection.dialect.name == "sqlite", **how)


@contextmanager
def _connect() -> Iterator[Connection]:
    """A connection of its own (no pool), its engine disposed of afterwards."""
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


run_migrations(context, _configure, _connect)
