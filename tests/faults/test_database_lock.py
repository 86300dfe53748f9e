"""A database held locked by someone else delays only the requests that need it (issue 22,
finding 6): the web app's calls to the database run in worker threads, so while one person's
message waits on the lock, another person's ping is answered at once, and the waiting person
gets a kind error when the database does not answer, not a hang."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp.test_utils import TestClient

from tests.web.conftest import frames_until, next_frame, open_chat
from web.config import WebConfig


@contextmanager
def locked(database_url: str) -> Iterator[None]:
    """Another process's exclusive transaction on the SQLite file."""
    connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=1,
                                 isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


async def test_a_locked_database_delays_only_the_requests_that_need_it(
    client: TestClient, web_config: WebConfig
) -> None:
    waiting = await open_chat(client, "example-lock-conversation-01")
    other = await open_chat(client, "example-lock-conversation-02")
    with locked(web_config.database_url):
        # The test and the app share one event loop: if the app blocked it on the lock,
        # this whole sequence would take as long as the database's busy timeout (30 s).
        start = time.monotonic()
        await waiting.send_json({"type": "message", "client_id": "m1", "text": "detox 21201"})
        await asyncio.sleep(0.2)  # the message is now waiting on the lock
        await other.send_json({"type": "ping"})
        await next_frame(other, "pong", timeout=60)
        assert time.monotonic() - start < 2.0, "another person's ping waited on the lock"
        error = (await frames_until(waiting, lambda f: f["type"] == "error", timeout=30))[-1]
        assert error["code"] == "unavailable" and error["client_id"] == "m1"
    # the lock is gone: the same person is answered again
    await waiting.send_json({"type": "message", "client_id": "m2", "text": "detox 21201"})
    reply = await frames_until(waiting, lambda f: f.get("sender") == "bot", timeout=10)
    assert reply[-1]["text"] == "echo: detox 21201"
