"""A WebSocket never gets an HTTP response written into it (issue 22, finding 7).

The hostile tester's triggers, on both sockets: deeply nested JSON, `last_seq` ≥ 2^63 and a
lone surrogate in text. Each must get an error frame (or a clean close), and the socket must
keep working. The admin API answers a body it cannot read with 400 and the project's error
body. Also: a person typing `/restart` is not sending Rasa a command (finding 12).
"""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient

from tests.web.conftest import FakeRasa, next_frame, open_chat, origin
from tests.web.test_handoff import cid, open_console
from web.accounts import create_user, start_session
from web.config import WebConfig
from web.frame_reader import MAX_DEPTH, parse_frame

NESTED = "[" * 8000 + "]" * 8000  # under the 16 KiB frame limit
NESTED_OBJECT = '{"type":"message","client_id":"n1","text":' + "[" * 5000 + "]" * 5000 + "}"
TRIGGERS = [
    NESTED,
    NESTED_OBJECT,
    json.dumps({"type": "hello", "conversation_id": cid(1), "last_seq": 2**63}),
    json.dumps({"type": "hello", "conversation_id": cid(1), "last_seq": 10**400}),
    '{"type": "message", "client_id": "s1", "text": "hi \\ud800 there"}',
    '{"type": "message", "client_id": "s2", "text": "x", "display": "\\udfff"}',
    '{"type": "hello", "conversation_id": "' + cid(1) + '", "last_seq": NaN}',
    '{"type": "hello", "conversation_id": "' + cid(1) + '", "last_seq": 1e999}',
]


@pytest.mark.parametrize("raw", TRIGGERS, ids=range(len(TRIGGERS)))
async def test_person_socket_answers_hostile_frames_with_error_frames(
    client: TestClient, raw: str
):
    ws = await open_chat(client, cid(1))
    await ws.send_str(raw)
    frame = await next_frame(ws)
    assert frame["type"] == "error" and frame["code"] == "bad_frame", frame
    await ws.send_json({"type": "ping"})
    assert (await next_frame(ws))["type"] == "pong"
    await ws.send_json({"type": "message", "client_id": "after", "text": "still here?"})
    while (reply := await next_frame(ws, "message"))["sender"] != "bot":
        pass
    assert reply["text"] == "echo: still here?"


async def test_hostile_hello_before_any_conversation(client: TestClient):
    ws = await client.ws_connect("/ws", headers=origin(client))
    await ws.send_str(TRIGGERS[2])
    frame = await next_frame(ws)
    assert frame["type"] == "error" and frame["code"] == "bad_frame"
    await ws.send_json({"type": "hello", "conversation_id": cid(2), "last_seq": 0})
    assert (await next_frame(ws, "state"))["state"] == "bot"


@pytest.mark.parametrize("raw", TRIGGERS, ids=range(len(TRIGGERS)))
async def test_console_answers_hostile_frames_with_error_frames(
    client: TestClient, web_config: WebConfig, raw: str
):
    user = create_user(web_config.database_url, "sam", "correct horse battery", "peer", "Sam")
    console = await open_console(client, web_config, user)
    await console.send_str(raw)
    frame = await next_frame(console)
    assert frame["type"] == "error" and frame["code"] == "bad_frame", frame
    await console.send_json({"type": "presence", "status": "online"})
    assert (await next_frame(console))["type"] == "presence"


def test_parse_frame_bounds() -> None:
    assert parse_frame('{"type": "ping"}') == {"type": "ping"}
    assert parse_frame('{"a": ' * MAX_DEPTH + "1" + "}" * MAX_DEPTH) is not None
    assert parse_frame('{"a": ' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)) is None
    assert parse_frame('{"n": 9007199254740991}') == {"n": 9007199254740991}
    assert parse_frame('{"n": 9007199254740992}') is None
    assert parse_frame('{"n": -9007199254740992}') is None
    assert parse_frame('{"n": 1.5}') == {"n": 1.5}
    assert parse_frame('{"n": Infinity}') is None
    assert parse_frame('{"t": "a \\ud83d\\ude00 b"}') == {"t": "a \U0001f600 b"}  # a pair
    assert parse_frame('{"t": "\\ud83d"}') is None
    assert parse_frame('{"\\udc00": 1}') is None
    assert parse_frame('"[ is in a string, not nesting: [[[["') is None  # not an object
    assert parse_frame('{"t": "' + "[" * 1000 + '"}') == {"t": "[" * 1000}


@pytest.mark.parametrize(
    "body",
    ["[" * 30_000 + "]" * 30_000, '{"name": ' + "[" * 5000 + "]" * 5000 + "}",
     '{"x": 1e999}', '{"x": "\\ud800"}', "not json"],
    ids=["nested-list", "nested-field", "huge-number", "surrogate", "not-json"],
)
async def test_admin_api_bad_bodies_are_400(
    client: TestClient, web_config: WebConfig, body: str
):
    admin = create_user(web_config.database_url, "ada", "correct horse battery", "admin", "Ada")
    session = start_session(web_config.database_url, admin)
    response = await client.post(
        "/api/v1/admin/services", data=body,
        headers={"Cookie": f"rn_session={session.token}", "Content-Type": "application/json",
                 "X-CSRF-Token": session.csrf_token},
    )
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "invalid" and error["field"] == "body" and error["message"]


async def test_typed_slash_commands_reach_rasa_as_words(
    client: TestClient, fake_rasa: FakeRasa
):
    ws = await open_chat(client, cid(7))
    for n, text in enumerate(["/restart", "/session_start", "//restart now"]):
        await ws.send_json({"type": "message", "client_id": f"t{n}", "text": text})
        while (await next_frame(ws, "message"))["sender"] != "bot":
            pass
    await ws.send_json({"type": "message", "client_id": "b1", "text": "/need_detox",
                        "display": "Detox"})
    while (await next_frame(ws, "message"))["sender"] != "bot":
        pass
    sent = [turn["message"] for turn in fake_rasa.turns]
    assert sent == ["restart", "session_start", "restart now", "/need_detox"]


async def test_an_unexpected_error_in_a_handler_is_an_error_frame(
    client: TestClient, server, monkeypatch: pytest.MonkeyPatch
):
    from web import appkeys

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(server.app[appkeys.RELAY], "person_message", broken)
    ws = await open_chat(client, cid(8))
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello"})
    frame = await next_frame(ws)
    assert frame["type"] == "error" and frame["code"] == "unavailable"
    assert "nobody foresaw" not in str(frame)
    await ws.send_json({"type": "ping"})
    assert (await next_frame(ws))["type"] == "pong"


def test_only_typed_commands_lose_their_slash() -> None:
    from web.frame_reader import for_rasa

    assert for_rasa("/restart", None) == "restart"
    assert for_rasa("/need_detox", "Detox") == "/need_detox"  # a button the widget offered
    assert for_rasa("/request_peer", None) == "/request_peer"  # the web app's own payload
    assert for_rasa('/share_location{"lat": 39.3}', None).startswith("/share_location")
    assert for_rasa("/", None) == "/"
    assert for_rasa("detox near me", None) == "detox near me"
