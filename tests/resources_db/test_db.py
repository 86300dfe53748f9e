"""Database plumbing: URL, pragmas, transactions, migrations, optimistic locking."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from resources_db import db
from resources_db.db import VERSION_TABLE, alembic_config, get_engine, session_scope
from resources_db.models import Service
from tests.fixtures.directory import fixture_service_id


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RN_DATABASE_URL", "postgresql+psycopg://example@127.0.0.1/example")
    assert db.database_url() == "postgresql+psycopg://example@127.0.0.1/example"
    monkeypatch.delenv("RN_DATABASE_URL")
    assert db.database_url().endswith("/var/directory.sqlite3")
    assert (db.REPO_ROOT / "var").is_dir()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.sqlite3"
    with get_engine(url).connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose_engine(url)


def test_session_scope_rolls_back_on_error(directory_url: str) -> None:
    detox = fixture_service_id("detox")
    with pytest.raises(RuntimeError), session_scope(directory_url) as session:
        session.get_one(Service, detox).name = "Changed"
        session.flush()
        raise RuntimeError("boom")
    with session_scope(directory_url) as session:
        assert session.get_one(Service, detox).name == "Example Detox Center"


def test_migrations_use_their_own_version_table_and_match_the_models(
    empty_directory_url: str,
) -> None:
    tables = inspect(get_engine(empty_directory_url)).get_table_names()
    assert VERSION_TABLE in tables and "alembic_version" not in tables
    command.check(alembic_config(empty_directory_url))  # raises if models and migrations differ


def test_stale_edit_is_refused(directory_url: str) -> None:
    """Two admins edit the same service: the second save must not silently win."""
    maker = sessionmaker(bind=get_engine(directory_url))
    detox = fixture_service_id("detox")
    first: Session = maker()
    second: Session = maker()
    try:
        a = first.get_one(Service, detox)
        b = second.get_one(Service, detox)
        a.name = "Example Detox Center (edited)"
        first.commit()
        b.name = "Example Detox Center (other edit)"
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.rollback()
        second.close()
    with session_scope(directory_url) as session:
        service = session.execute(select(Service).where(Service.id == detox)).scalar_one()
        assert service.name == "Example Detox Center (edited)" and service.version == 2
