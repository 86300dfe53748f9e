"""One fictional directory for the whole module: the stack is started once, not per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from resources_db.db import dispose_engine, session_scope, upgrade_database
from tests.fixtures.directory import fill_directory


@pytest.fixture(scope="module")
def stack_directory_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture directory (Baltimore/Towson, "Example ..." records) in a SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('directory')}/directory.sqlite3"
    upgrade_database(url)
    with session_scope(url) as session:
        fill_directory(session)
    yield url
    dispose_engine(url)
