"""One web app (with the fake Rasa of tests/web) for all fuzz cases of a module.

Hypothesis runs examples synchronously, so the app lives on an event loop in a background
thread and each example submits its coroutine there: thousands of cases without building
the app (and migrating its database) again for each one.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer

from resources_db.db import dispose_engine, upgrade_database
from tests.web.conftest import (  # noqa: F401 (fixtures for test_limits.py)
    FakeRasa,
    client,
    fake_rasa,
    server,
    web_config,
)
from web.app import create_app
from web.config import WebConfig

T = TypeVar("T")


class AppOnLoop:
    """The app, its test client and the fake Rasa, on a loop of their own."""

    def __init__(self, database_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.rasa = FakeRasa()
        self.database_url = database_url
        upgrade_database(self.database_url)
        self.client: TestClient = self.run(self._start())

    async def _start(self) -> TestClient:
        self._rasa_server = TestServer(self.rasa.app())
        await self._rasa_server.start_server()
        self.config = WebConfig(
            database_url=self.database_url,
            rasa_url=str(self._rasa_server.make_url("")).rstrip("/"),
            rasa_token="example-token",
            secret_key="example-secret-key-for-tests-only-0000",
            rasa_timeout_seconds=2.0,
            # The fuzzers send thousands of messages; the limits have their own tests.
            chat_rate_per_conversation="100000/minute",
            chat_rate_per_address="100000/minute",
            search_rate_per_address="100000/minute",
        )
        test_client = TestClient(TestServer(create_app(self.config)))
        await test_client.start_server()
        return test_client

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def origin(self) -> dict[str, str]:
        return {"Origin": f"http://{self.client.host}:{self.client.port}"}

    def close(self) -> None:
        async def stop() -> None:
            await self.client.close()
            await self._rasa_server.close()

        self.run(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="module")
def fuzz_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite, or a PostgreSQL database of its own when RN_TEST_POSTGRES_URL is set (PostgreSQL
    is stricter: text holding NUL characters cannot be stored or compared at all)."""
    pg_server = os.environ.get("RN_TEST_POSTGRES_URL")
    if not pg_server:
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}"
        return
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    name = f"rn_fuzz_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        dispose_engine(url)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def app_on_loop(fuzz_database: str) -> Iterator[AppOnLoop]:
    app = AppOnLoop(fuzz_database)
    yield app
    app.close()


__all__ = ["AppOnLoop", "app_on_loop"]
