"""Web migration web_0006 (a peer's languages) upgrades an existing database without losing
an account, and downgrades cleanly. On SQLite, and on PostgreSQL too when
RN_TEST_POSTGRES_URL is set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from resources_db.db import dispose_engine, get_engine
from tests.fixtures.directory import _backends, _fresh_url
from web.db import alembic_config, upgrade


@pytest.fixture(params=_backends())
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    url = _fresh_url(request, tmp_path)
    yield url
    if url.startswith("sqlite"):
        dispose_engine(url)


def user_columns(url: str) -> set[str]:
    return {column["name"] for column in inspect(get_engine(url)).get_columns("web_users")}


def test_languages_are_added_empty_to_existing_accounts_and_removed_on_downgrade(
    empty_url: str,
) -> None:
    upgrade(empty_url, "web_0005")
    assert "languages" not in user_columns(empty_url)
    with get_engine(empty_url).begin() as connection:
        connection.execute(text(
            "INSERT INTO web_users (username, display_name, role, password_hash, disabled, "
            "created_at) VALUES ('example-peer', 'Sam', 'peer', 'x', false, "
            "CURRENT_TIMESTAMP)"))

    upgrade(empty_url)
    with get_engine(empty_url).begin() as connection:
        assert connection.execute(text(
            "SELECT username, languages FROM web_users")).all() == [("example-peer", "")]
        connection.execute(text("UPDATE web_users SET languages = 'es'"))

    command.downgrade(alembic_config(empty_url), "web_0005")
    assert "languages" not in user_columns(empty_url)
    with get_engine(empty_url).begin() as connection:
        assert connection.execute(text("SELECT username FROM web_users")).scalars().all() == [
            "example-peer"]
    upgrade(empty_url)
    assert "languages" in user_columns(empty_url)
