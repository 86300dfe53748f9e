"""One web app (with the fake Rasa of tests/web) for all fuzz cases of a module.

Hypothesis runs examples synchronously, so the app lives on an event loop in a background
thread and each example submits its coroutine there: thousands of cases without building
the app (and migrating its database) again for each one.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp.test_utils import TestClient, TestServer

from resources_db.db import upgrade_database
from tests.e2e.conftest import browser  # noqa: F401 (the XSS test drives Chromium)
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

    def __init__(self, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.rasa = FakeRasa()
        self.database_url = f"sqlite:///{folder / 'fuzz.sqlite3'}"
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
def app_on_loop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppOnLoop]:
    app = AppOnLoop(tmp_path_factory.mktemp("fuzz"))
    yield app
    app.close()


__all__ = ["AppOnLoop", "app_on_loop", "browser"]
