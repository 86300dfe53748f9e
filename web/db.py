"""Sessions and migrations for the web app's own tables.

The web tables live in the same database as the directory (RN_DATABASE_URL) and share its
engine cache (resources_db.db), but have their own Alembic history and version table.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from resources_db.db import get_engine, session_scope

__all__ = ["MIGRATIONS_DIR", "VERSION_TABLE", "alembic_config", "ping", "session_scope",
           "upgrade"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version_web"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Create or update the web tables to the latest migration."""
    command.upgrade(alembic_config(url), revision)


def ping(url: str) -> None:
    """Raise if the database does not answer."""
    with get_engine(url).connect() as conn:
        conn.execute(text("SELECT 1"))
