"""Fixtures for the web app tests: a fake Rasa server, the app on a temporary database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from web.accounts import create_user, start_session
from web.app import create_app
from web.config import WebConfig
from web.models import User

PASSWORD = "correct horse battery"


@dataclass
class FakeRasa:
    """Answers like Rasa's REST channel; tests change `mode`, `delay`, `handoff_status`."""

    mode: str = "up"  # "up" | "error" | "empty" (what Rasa answers when an action failed)
    delay: float = 0.0
    handoff_status: str = "queued"
    summary: dict[str, Any] = field(
        default_factory=lambda: {"needs": ["detox"], "location": "Baltimore, MD 21201",
                                 "insurance": "medicaid", "notes": "Example summary"}
    )
    turns: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[str, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    parses: list[str] = field(default_factory=list)
    parse_entities: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.root)
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_post("/conversations/{cid}/tracker/events", self.tracker_events)
        app.router.add_post("/model/parse", self.parse)
        return app

    async def root(self, request: web.Request) -> web.Response:
        if self.mode == "error":
            return web.Response(status=500)
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.turns.append(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.mode == "error":
            return web.Response(status=500, text="boom")
        if self.mode == "empty":
            return web.json_response([])
        message = body["message"]
        if message == "/request_peer":
            return web.json_response([
                {"text": "I'm asking a peer recovery specialist to join.",
                 "custom": {"type": "handoff", "status": self.handoff_status,
                            "summary": self.summary}},
            ])
        if message == "cards":
            return web.json_response([{"custom": {"type": "resources", "query": {}, "total": 1,
                                                  "relaxed": False, "resources": []}}])
        return web.json_response([
            {"text": f"echo: {message}", "buttons": [{"title": "Detox", "payload": "/need_detox"}]}
        ])

    async def tracker_events(self, request: web.Request) -> web.Response:
        if self.mode == "error":
            return web.Response(status=500)
        self.events.append((request.match_info["cid"], await request.json(), dict(request.query)))
        return web.json_response({"events": []})

    async def parse(self, request: web.Request) -> web.Response:
        if self.mode == "error":
            return web.Response(status=500)
        body = await request.json()
        self.parses.append(body["text"])
        return web.json_response({"text": body["text"], "intent": {"name": "search"},
                                  "entities": self.parse_entities})


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The database `python -m web` commands use in a test (RN_DATABASE_URL; not production)."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("RN_DATABASE_URL", url)
    monkeypatch.delenv("RN_ENV", raising=False)
    return url


@pytest.fixture
async def fake_rasa(aiohttp_server: Callable[..., Awaitable[TestServer]]) -> FakeRasa:
    rasa = FakeRasa()
    server = await aiohttp_server(rasa.app())
    rasa.url = str(server.make_url("")).rstrip("/")
    return rasa


def config_for_tests(database_url: str, tracker_database_url: str, rasa_url: str,
                     **overrides: Any) -> WebConfig:
    """A web app configuration for tests: example secrets, rate limits no test reaches."""
    settings: dict[str, Any] = {
        "rasa_token": "example-token",
        "secret_key": "example-secret-key-for-tests-only-0000",
        "rasa_timeout_seconds": 0.5,
        "chat_rate_per_conversation": "100/minute",
        "chat_rate_per_address": "200/minute",
        **overrides,
    }
    return WebConfig(database_url=database_url, tracker_database_url=tracker_database_url,
                     rasa_url=rasa_url, **settings)


@pytest.fixture
def web_config(tmp_path: Path, fake_rasa: FakeRasa) -> WebConfig:
    return config_for_tests(f"sqlite:///{tmp_path / 'web.sqlite3'}",
                            f"sqlite:///{tmp_path / 'trackers.sqlite3'}", fake_rasa.url)


@pytest.fixture
async def server(
    aiohttp_server: Callable[..., Awaitable[TestServer]], web_config: WebConfig
) -> TestServer:
    return await aiohttp_server(create_app(web_config))


@pytest.fixture
async def client(
    aiohttp_client: Callable[..., Awaitable[TestClient]], server: TestServer
) -> TestClient:
    return await aiohttp_client(server)


def origin(client: TestClient) -> dict[str, str]:
    return {"Origin": f"http://{client.host}:{client.port}"}


def make_peer(config: WebConfig, username: str = "sam", display_name: str = "Sam") -> User:
    return create_user(config.database_url, username, PASSWORD, "peer", display_name)


def peer_cookie(config: WebConfig, user: User) -> dict[str, str]:
    return {"Cookie": f"rn_session={start_session(config.database_url, user).token}"}


async def next_frame(ws: Any, kind: str | None = None, timeout: float = 5.0) -> dict[str, Any]:
    """The next frame (of `kind`, skipping others). The timeout only guards against hangs."""
    while True:
        msg = await asyncio.wait_for(ws.receive(), timeout)
        frame = json.loads(msg.data)
        if kind is None or frame.get("type") == kind:
            return frame


async def frames_until(
    ws: Any, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5.0
) -> list[dict[str, Any]]:
    """Collect frames up to and including the first one matching `predicate`."""
    seen = []
    while True:
        frame = await next_frame(ws, timeout=timeout)
        seen.append(frame)
        if predicate(frame):
            return seen


async def open_chat(client: TestClient, conversation_id: str, last_seq: int = 0) -> Any:
    ws = await client.ws_connect("/ws", headers=origin(client))
    await ws.send_json({"type": "hello", "conversation_id": conversation_id, "last_seq": last_seq})
    await next_frame(ws, "state")
    return ws
