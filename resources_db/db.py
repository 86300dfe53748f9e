"""Database connection: URL from the environment, cached engines, sessions, migrations."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
VERSION_TABLE = "alembic_version_directory"


def database_url() -> str:
    """RN_DATABASE_URL, or the SQLite file `var/directory.sqlite3` in the repository."""
    url = os.environ.get("RN_DATABASE_URL", "").strip()
    if url:
        return url
    var = REPO_ROOT / "var"
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'directory.sqlite3'}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # reads go through the OS page cache instead of per-connection copies
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _create_engine(url: str) -> Engine:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: database_url()), created once per URL."""
    key = url or database_url()
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = _create_engine(key)
        return engine


def dispose_engine(url: str) -> None:
    """Close and forget the engine for `url` (tests drop their databases afterwards)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = sessionmaker(bind=get_engine(url), expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    # stdout is looked up now: Config's default is whatever sys.stdout was at import time
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    config.attributes["rn_url"] = url or database_url()
    return config


def upgrade_database(url: str | None = None) -> None:
    """Run the directory's Alembic migrations to head."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def run_migrations(
    context: Any,
    configure: Callable[..., None],
    connect: Callable[[], AbstractContextManager[Connection]],
) -> None:
    """The body of an Alembic env.py (the directory's and the web app's): offline, write the
    SQL for the configured URL; online, migrate on a connection from `connect()` and commit.
    `configure(**how)` calls `context.configure` with that history's own options."""
    if context.is_offline_mode():
        configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with connect() as connection:
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
