"""'Delete this conversation': both stores at once, over the WebSocket or HTTP, rate-limited."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import create_engine, text

from tests.web.conftest import frames_until, next_frame, open_chat, origin
from web.app import create_app
from web.config import WebConfig
from web.store import ConversationStore

CID = "example-delete-conversation-1"
OTHER = "example-other-conversation-1"
RASA_EVENTS = """CREATE TABLE events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


def is_bot(frame: dict) -> bool:
    return frame["type"] == "message" and frame["sender"] in ("bot", "system")


@pytest.fixture
def tracker(web_config: WebConfig) -> str:
    """Rasa's events table with a few events for CID and for another conversation."""
    with create_engine(web_config.tracker_database_url).begin() as conn:
        conn.execute(text(RASA_EVENTS))
        for sender in (CID, CID, OTHER):
            conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                              "VALUES (:s, 'user', :t, '{}')"), {"s": sender, "t": time.time()})
    return web_config.tracker_database_url


def tracker_senders(url: str) -> list[str]:
    with create_engine(url).connect() as conn:
        return list(conn.execute(text("SELECT sender_id FROM events")).scalars())


async def chat_with_one_message(client: TestClient) -> Any:
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "I need detox"})
    await frames_until(ws, is_bot)
    return ws


async def test_delete_over_the_socket_erases_both_stores(
    client: TestClient, web_config: WebConfig, tracker: str
) -> None:
    ws = await chat_with_one_message(client)
    await ws.send_json({"type": "delete"})
    assert (await next_frame(ws, "deleted")) == {"type": "deleted"}
    assert ConversationStore(web_config.database_url).since(CID) == []
    assert ConversationStore(web_config.database_url).get(CID) is None
    assert tracker_senders(tracker) == [OTHER]


async def test_delete_over_http_erases_both_stores_and_tells_open_widgets(
    client: TestClient, web_config: WebConfig, tracker: str
) -> None:
    ws = await chat_with_one_message(client)
    resp = await client.delete(f"/api/v1/conversations/{CID}", headers=origin(client))
    assert resp.status == 204
    assert (await next_frame(ws, "deleted")) == {"type": "deleted"}
    assert ConversationStore(web_config.database_url).since(CID) == []
    assert tracker_senders(tracker) == [OTHER]


async def test_an_unknown_id_gets_the_same_answer_so_ids_cannot_be_probed(
    client: TestClient, tracker: str
) -> None:
    resp = await client.delete("/api/v1/conversations/example-never-used-000001",
                               headers=origin(client))
    assert resp.status == 204
    assert sorted(tracker_senders(tracker)) == [CID, CID, OTHER]


@pytest.mark.parametrize("bad", ["short", "has%20space%20in%20it-000", "x" * 65])
async def test_a_malformed_id_is_refused_clearly(client: TestClient, bad: str) -> None:
    resp = await client.delete(f"/api/v1/conversations/{bad}", headers=origin(client))
    assert resp.status == 400
    assert (await resp.json())["error"]["code"] == "bad_conversation"


async def test_another_site_cannot_delete(client: TestClient, tracker: str) -> None:
    resp = await client.delete(f"/api/v1/conversations/{CID}",
                               headers={"Origin": "https://example.com"})
    assert resp.status == 403
    assert CID in tracker_senders(tracker)


async def test_deletes_are_rate_limited_per_address(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    aiohttp_server: Callable[..., Awaitable[TestServer]],
    web_config: WebConfig,
) -> None:
    config = replace(web_config, delete_rate_per_address="3/minute")
    client = await aiohttp_client(await aiohttp_server(create_app(config)))
    statuses = []
    for n in range(5):
        resp = await client.delete(f"/api/v1/conversations/example-probe-{n:012d}",
                                   headers=origin(client))
        statuses.append(resp.status)
    assert statuses == [204, 204, 204, 429, 429]
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "delete"})
    assert (await next_frame(ws, "error"))["code"] == "rate_limited"


async def test_when_the_tracker_store_fails_nothing_is_lost_and_the_person_is_told(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    aiohttp_server: Callable[..., Awaitable[TestServer]],
    web_config: WebConfig,
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database file" * 100)
    config = replace(web_config, tracker_database_url=f"sqlite:///{broken}")
    client = await aiohttp_client(await aiohttp_server(create_app(config)))
    ws = await chat_with_one_message(client)
    await ws.send_json({"type": "delete"})
    error = await next_frame(ws, "error")
    assert error["code"] == "delete_failed" and "try again" in error["message"]
    assert len(ConversationStore(config.database_url).since(CID)) == 2  # kept to retry
