"""The person's side of the relay: replies, fallbacks, limits, reconnect without loss."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.web.conftest import FakeRasa, frames_until, next_frame, open_chat, origin

CID = "example-conversation-0001"


def is_bot(frame: dict) -> bool:
    return frame["type"] == "message" and frame["sender"] in ("bot", "system")


async def test_a_message_gets_the_bot_reply_in_order(client: TestClient, fake_rasa: FakeRasa):
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "detox near 21201"})
    frames = await frames_until(ws, is_bot)
    mine, reply = frames[0], frames[-1]
    assert (mine["sender"], mine["seq"], mine["client_id"]) == ("person", 1, "m1")
    assert reply["text"] == "echo: detox near 21201" and reply["seq"] == 2
    assert reply["buttons"] == [{"title": "Detox", "payload": "/need_detox"}]
    assert fake_rasa.turns[0]["sender"] == CID


async def test_button_press_shows_the_title_but_sends_the_payload(
    client: TestClient, fake_rasa: FakeRasa
):
    ws = await open_chat(client, CID)
    await ws.send_json(
        {"type": "message", "client_id": "b1", "text": "/need_detox", "display": "Detox"}
    )
    frames = await frames_until(ws, is_bot)
    assert frames[0]["text"] == "Detox"
    assert fake_rasa.turns[-1]["message"] == "/need_detox"


async def test_slow_rasa_becomes_a_kind_message_with_phone_lines(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.delay = 3.0  # longer than the 0.5 s timeout in the test config
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello"})
    reply = (await frames_until(ws, is_bot))[-1]
    assert reply["sender"] == "system"
    assert "1-800-662-4357" in reply["text"] and "988" in reply["text"]
    assert reply["custom"]["type"] == "lines"
    assert {"title": "Talk to a peer", "payload": "/request_peer"} in reply["buttons"]


async def test_rasa_down_gives_the_same_fallback(client: TestClient, fake_rasa: FakeRasa):
    fake_rasa.mode = "error"
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello"})
    reply = (await frames_until(ws, is_bot))[-1]
    phones = [line["phone"] for line in reply["custom"]["lines"]]
    assert phones == ["1-800-662-4357", "988"]


async def test_too_long_message_is_refused_and_not_stored(client: TestClient, fake_rasa: FakeRasa):
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "long", "text": "x" * 2001})
    error = await next_frame(ws, "error")
    assert error["code"] == "too_long" and error["client_id"] == "long"
    assert fake_rasa.turns == []
    again = await open_chat(client, CID)
    await again.send_json({"type": "message", "client_id": "ok", "text": "short"})
    first = await next_frame(again, "message")
    assert first["seq"] == 1  # nothing was stored for the refused message


async def test_rate_limit_per_conversation(client: TestClient, fake_rasa: FakeRasa, server):
    from web import appkeys
    from web.ratelimit import RateLimits

    server.app[appkeys.RELAY].limits = RateLimits({"conversation": "3/minute",
                                                   "address": "100/minute"})
    ws = await open_chat(client, CID)
    for i in range(3):
        await ws.send_json({"type": "message", "client_id": f"m{i}", "text": f"hi {i}"})
        await frames_until(ws, is_bot)
    await ws.send_json({"type": "message", "client_id": "m3", "text": "one more"})
    error = await next_frame(ws, "error")
    assert error["code"] == "rate_limited"
    assert len(fake_rasa.turns) == 3


async def test_reconnect_resumes_after_last_seq_without_loss_or_duplicates(
    client: TestClient, fake_rasa: FakeRasa
):
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "one"})
    await frames_until(ws, is_bot)  # seq 1, 2
    await ws.close()
    # While the widget is offline it resends m2 twice (retry) on a new connection.
    ws2 = await client.ws_connect("/ws", headers=origin(client))
    await ws2.send_json({"type": "hello", "conversation_id": CID, "last_seq": 1})
    replay = await frames_until(ws2, lambda f: f["type"] == "state" and "resumed_from" in f)
    assert [f["seq"] for f in replay if f["type"] == "message"] == [2]
    await ws2.send_json({"type": "message", "client_id": "m2", "text": "two"})
    await frames_until(ws2, is_bot)
    await ws2.send_json({"type": "message", "client_id": "m2", "text": "two"})
    echoed = await next_frame(ws2, "message")
    assert echoed["seq"] == 3  # the stored copy, not a new message
    ws3 = await open_chat(client, CID)  # a fresh page load replays everything once
    await ws3.send_json({"type": "hello", "conversation_id": CID, "last_seq": 0})
    frames = await frames_until(ws3, lambda f: f["type"] == "state" and "resumed_from" in f)
    seqs = [f["seq"] for f in frames if f["type"] == "message"]
    assert seqs == [1, 2, 3, 4]
    assert len(fake_rasa.turns) == 2


UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


async def test_websocket_refuses_other_origins(client: TestClient):
    for headers in ({}, {"Origin": "https://evil.example"}):
        response = await client.get(
            "/ws",
            headers={**headers, **UPGRADE},
        )
        assert response.status == 403


async def test_bad_frames_get_a_clear_error_and_the_socket_stays_usable(client: TestClient):
    ws = await client.ws_connect("/ws", headers=origin(client))
    await ws.send_str("not json")
    assert (await next_frame(ws, "error"))["code"] == "bad_frame"
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hi"})
    assert (await next_frame(ws, "error"))["code"] == "no_hello"
    await ws.send_json({"type": "hello", "conversation_id": "short"})
    assert (await next_frame(ws, "error"))["code"] == "bad_conversation"
    await ws.send_json({"type": "hello", "conversation_id": CID})
    assert (await next_frame(ws, "state"))["state"] == "bot"


async def test_delete_erases_the_conversation(client: TestClient):
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "m1", "text": "private"})
    await frames_until(ws, is_bot)
    await ws.send_json({"type": "delete"})
    await next_frame(ws, "deleted")
    again = await client.ws_connect("/ws", headers=origin(client))
    await again.send_json({"type": "hello", "conversation_id": CID, "last_seq": 0})
    first = await next_frame(again)
    assert first["type"] == "state"  # no messages were replayed


async def test_chat_page_sets_no_cookies_and_renders_crisis_lines(client: TestClient):
    response = await client.get("/")
    assert response.status == 200
    assert "Set-Cookie" not in response.headers
    html = await response.text()
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert "automated assistant" in html
