"""The relay's answers when a part behind it fails (in process; the real processes are
stopped and restarted in test_processes.py)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.exc import OperationalError

from tests.web.conftest import FakeRasa, frames_until, next_frame, open_chat, origin
from web import appkeys

CID = "example-fault-conversation-01"


def is_reply(frame: dict) -> bool:
    return frame["type"] == "message" and frame["sender"] in ("bot", "system")


async def test_an_empty_turn_becomes_the_fallback_with_lines_and_a_peer(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.mode = "empty"  # what Rasa answers when the action server is down
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "detox near 21201"})
    reply = (await frames_until(ws, is_reply))[-1]
    assert reply["sender"] == "system"
    assert "can't answer right now" in reply["text"]
    assert [line["phone"] for line in reply["custom"]["lines"]] == ["1-800-662-4357", "988"]
    assert {"title": "Talk to a peer", "payload": "/request_peer"} in reply["buttons"]

    fake_rasa.mode = "up"
    await ws.send_json({"type": "message", "client_id": "m2", "text": "detox near 21201"})
    assert (await frames_until(ws, is_reply))[-1]["text"] == "echo: detox near 21201"


async def test_an_empty_turn_for_a_peer_request_still_queues_the_person(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.mode = "empty"
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "p1", "text": "/request_peer"})
    state = await next_frame(ws, "state")
    assert state["state"] == "waiting"


async def test_an_overdose_while_the_assistant_is_down_gets_the_emergency_lines(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.mode = "error"
    ws = await open_chat(client, CID)
    await ws.send_json(
        {"type": "message", "client_id": "c1", "text": "my friend overdosed and isn't breathing"}
    )
    reply = (await frames_until(ws, is_reply))[-1]
    assert reply["custom"]["type"] == "crisis" and reply["custom"]["kind"] == "overdose"
    assert reply["custom"]["lines"][0]["phone"] == "911"
    assert "911" in reply["text"]


async def test_database_errors_become_a_kind_error_and_the_chat_recovers(
    client: TestClient, fake_rasa: FakeRasa, server: TestServer, monkeypatch
):
    ws = await open_chat(client, CID)
    store = server.app[appkeys.STORE]

    def unavailable(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    with monkeypatch.context() as patch:
        patch.setattr(store, "by_client_id", unavailable)
        await ws.send_json({"type": "message", "client_id": "d1", "text": "hello"})
        error = await next_frame(ws, "error")
    assert error["code"] == "unavailable" and error["client_id"] == "d1"
    assert "988" in error["message"] and "1-800-662-4357" in error["message"]
    assert fake_rasa.turns == []

    await ws.send_json({"type": "message", "client_id": "d1", "text": "hello"})
    frames = await frames_until(ws, is_reply)
    assert frames[0]["seq"] == 1 and frames[-1]["text"] == "echo: hello"


async def test_a_widget_connecting_while_the_database_is_down_gets_lines_not_a_closed_socket(
    client: TestClient, fake_rasa: FakeRasa, server: TestServer, monkeypatch
):
    store = server.app[appkeys.STORE]

    def unavailable(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("could not connect"))

    ws = await client.ws_connect("/ws", headers=origin(client))
    with monkeypatch.context() as patch:
        patch.setattr(store, "since", unavailable)
        await ws.send_json({"type": "hello", "conversation_id": CID, "last_seq": 0})
        error = await next_frame(ws, "error")
    assert error["code"] == "unavailable"
    assert "988" in error["message"] and "1-800-662-4357" in error["message"]
    assert not ws.closed

    await ws.send_json({"type": "hello", "conversation_id": CID, "last_seq": 0})
    assert (await next_frame(ws, "state"))["state"] == "bot"
    await ws.send_json({"type": "message", "client_id": "h1", "text": "hello"})
    frames = await frames_until(ws, is_reply)
    assert frames[-1]["text"] == "echo: hello"
