"""Hostile-input suite, second round (issue 22): no 5xx, every WebSocket stays a WebSocket, and
the chat answers normally afterwards.

Generated frames and bodies mix the first round's hostile strings with what broke the app in the
second: JSON nested thousands deep, whole numbers of 2^53 and far beyond, non-finite numbers and
lone UTF-16 surrogates. They go to the person's socket (`/ws`), the peer console (`/peer/ws`),
the admin API (JSON bodies), the erase route and the console's quick lookup. Each test prints
how many cases it ran (`pytest -s`) and asserts the count, so docs/security.md's numbers are
real.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from hypothesis import strategies as st

from tests.security.conftest import AppOnLoop
from tests.security.hostile import hostile_text, json_values, run_cases
from web.accounts import create_user, start_session

MAX_FRAME_BYTES = 16 * 1024
RAN: dict[str, int] = {}


def _nested(depth: int, opener: str) -> str:
    closer = {"[": "]", "{": "}"}[opener]
    if opener == "[":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + closer * depth


_numbers = st.one_of(
    st.integers(min_value=2**53 - 2, max_value=2**80),
    st.integers(min_value=-(2**80), max_value=-(2**53) + 2),
    st.sampled_from(["1e999", "-1e999", "NaN", "Infinity", "-Infinity", "1" * 400, "2e308",
                     "9223372036854775808", "18446744073709551616", "0.1e-400"]),
).map(str)
_surrogate = st.integers(min_value=0xD800, max_value=0xDFFF).map(lambda c: f"\\u{c:04x}")
_field = st.sampled_from(["text", "display", "client_id", "conversation_id", "last_seq",
                          "status", "cards", "type"])
_kind = st.sampled_from(["hello", "message", "ping", "end", "delete", "claim", "open", "send",
                         "presence", "heartbeat", "return_to_bot", "close", "nope"])


def _frame_with(kind: str, field: str, raw_value: str) -> str:
    head = {"type": kind, "conversation_id": "example-fuzz-conversation-0001",
            "client_id": "fuzz", "text": "hello"}
    head.pop(field, None)
    body = json.dumps(head)[:-1]
    return f'{body}, "{field}": {raw_value}}}'


_raw_value = st.one_of(
    _numbers,
    st.builds(lambda s, t: json.dumps(t)[:-1] + s + '"', _surrogate, st.text(max_size=10)),
    st.builds(_nested, st.integers(min_value=1, max_value=6000), st.sampled_from("[{")),
    json_values.map(json.dumps),
)

#: One raw WebSocket text frame: hostile values in known frame shapes, or anything at all.
hostile_frames = st.one_of(
    st.builds(_frame_with, _kind, _field, _raw_value),
    st.builds(_nested, st.integers(min_value=1, max_value=8000), st.sampled_from("[{")),
    json_values.map(json.dumps),
    hostile_text,
).filter(lambda raw: len(raw.encode("utf-8", "surrogatepass")) < MAX_FRAME_BYTES)


def _report(name: str, ran: int) -> int:
    RAN[name] = ran
    print(f"\n{name}: {ran} cases")
    return ran


async def _replies_until(ws: aiohttp.ClientWebSocketResponse, done: str) -> list[dict[str, Any]]:
    """Frames up to the first of type `done`. Every message must be a JSON text frame: an HTTP
    response written into the socket shows up here as an ERROR or CLOSE message."""
    frames = []
    while True:
        msg = await ws.receive(timeout=10)
        assert msg.type == aiohttp.WSMsgType.TEXT, f"not a frame: {msg!r}"
        frame = json.loads(msg.data)
        assert isinstance(frame, dict) and isinstance(frame.get("type"), str), frame
        if frame["type"] == "error":
            assert frame["code"] and frame["message"] and "Traceback" not in frame["message"]
        frames.append(frame)
        if frame["type"] == done:
            return frames


class Sockets:
    """Reusable sockets of one app (reopened if the server closed one)."""

    def __init__(self, app: AppOnLoop) -> None:
        self.app = app
        self.person: aiohttp.ClientWebSocketResponse | None = None
        self.console: aiohttp.ClientWebSocketResponse | None = None
        user = create_user(app.database_url, "fuzz-peer", "example fuzz peer password",
                           "peer", "Fuzz")
        self.peer_cookie = {"Cookie": f"rn_session={start_session(app.database_url, user).token}"}

    async def open_person(self) -> aiohttp.ClientWebSocketResponse:
        if self.person is None or self.person.closed:
            self.person = await self.app.client.ws_connect("/ws", headers=self.app.origin())
            await self.person.send_json({"type": "hello", "last_seq": 0,
                                         "conversation_id": "example-fuzz-conversation-0001"})
            await _replies_until(self.person, "state")
        return self.person

    async def open_console(self) -> aiohttp.ClientWebSocketResponse:
        if self.console is None or self.console.closed:
            self.console = await self.app.client.ws_connect(
                "/peer/ws", headers={**self.app.origin(), **self.peer_cookie})
            await _replies_until(self.console, "queue")
        return self.console


@pytest.fixture(scope="module")
def sockets(app_on_loop: AppOnLoop) -> Sockets:
    return Sockets(app_on_loop)


def test_person_socket_stays_a_websocket(app_on_loop: AppOnLoop, sockets: Sockets):
    async def check(raw: str) -> None:
        ws = await sockets.open_person()
        await ws.send_str(raw)
        await ws.send_json({"type": "ping"})
        await _replies_until(ws, "pong")

    # What the hostile tester sent (issue 22): each wrote HTTP 503 into the socket.
    regressions = (_nested(5000, "["), _frame_with("hello", "last_seq", str(2**63)),
                   _frame_with("message", "text", '"a \\ud800 b"'))
    ran = run_cases(500, hostile_frames, lambda raw: app_on_loop.run(check(raw)),
                    examples=regressions)
    assert _report("person socket frames", ran) >= 500


def test_console_socket_stays_a_websocket(app_on_loop: AppOnLoop, sockets: Sockets):
    async def check(raw: str) -> None:
        ws = await sockets.open_console()
        await ws.send_str(raw)
        await ws.send_json({"type": "presence", "status": "online"})
        await _replies_until(ws, "presence")

    ran = run_cases(400, hostile_frames, lambda raw: app_on_loop.run(check(raw)))
    assert _report("peer console frames", ran) >= 400


_bodies = st.one_of(
    st.builds(_frame_with, st.just("service"), st.sampled_from(["name", "version", "lat"]),
              _raw_value),
    st.builds(_nested, st.integers(min_value=1, max_value=30_000), st.sampled_from("[{")),
    json_values.map(json.dumps),
    hostile_text,
).filter(lambda body: len(body.encode("utf-8", "surrogatepass")) < 60_000)


def test_admin_api_bodies_never_get_a_5xx(app_on_loop: AppOnLoop):
    admin = create_user(app_on_loop.database_url, "fuzz-admin", "example fuzz admin password",
                        "admin", "Fuzz Admin")
    session = start_session(app_on_loop.database_url, admin)
    headers = {"Cookie": f"rn_session={session.token}", "X-CSRF-Token": session.csrf_token,
               "Content-Type": "application/json"}
    paths = ["/api/v1/admin/services", "/api/v1/admin/tokens"]

    async def check(case: tuple[str, int]) -> None:
        body, which = case
        response = await app_on_loop.client.post(
            paths[which], data=body.encode("utf-8", "surrogatepass"), headers=headers)
        assert response.status < 500, (response.status, body[:200])
        if response.status == 400:
            assert (await response.json())["error"]["message"]

    cases = st.tuples(_bodies, st.integers(min_value=0, max_value=1))
    ran = run_cases(300, cases, lambda c: app_on_loop.run(check(c)))
    assert _report("admin API bodies", ran) >= 300


def test_erase_route_and_quick_lookup_never_get_a_5xx(app_on_loop: AppOnLoop, sockets: Sockets):
    from urllib.parse import quote

    async def check(text: str) -> None:
        erase = await app_on_loop.client.delete(
            "/api/v1/conversations/" + quote(text[:300], safe=""), headers=app_on_loop.origin())
        assert erase.status in (204, 400, 404, 405, 429), erase.status
        lookup = await app_on_loop.client.get(
            "/peer/api/parse", params={"q": text[:2000]}, headers=sockets.peer_cookie)
        assert lookup.status < 500, lookup.status

    ran = run_cases(200, hostile_text, lambda t: app_on_loop.run(check(t)))
    assert _report("erase ids and lookup queries", ran) >= 200


def test_the_chat_answers_normally_afterwards(app_on_loop: AppOnLoop, sockets: Sockets):
    async def check() -> tuple[list[dict[str, Any]], int]:
        ws = await app_on_loop.client.ws_connect("/ws", headers=app_on_loop.origin())
        await ws.send_json({"type": "hello", "conversation_id": "example-fuzz-after-0001",
                            "last_seq": 0})
        await _replies_until(ws, "state")
        await ws.send_json({"type": "message", "client_id": "after", "text": "hello again"})
        frames = await _replies_until(ws, "message")
        while frames[-1].get("sender") != "bot":
            frames += await _replies_until(ws, "message")
        health = await app_on_loop.client.get("/healthz")
        return frames, health.status

    frames, health = app_on_loop.run(check())
    assert frames[-1]["text"] == "echo: hello again"
    assert health == 200
    total = sum(RAN.values())
    print(f"\nhostile-input suite (second round): {total} generated cases, 0 responses >= 500,"
          " every WebSocket stayed a WebSocket")
    assert total >= 1400
