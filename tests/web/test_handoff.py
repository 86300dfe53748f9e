"""Live handoff: queue, one claim wins, messages both ways, return to bot, close, restart."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from tests.web.conftest import (
    FakeRasa,
    frames_until,
    make_peer,
    next_frame,
    open_chat,
    origin,
    peer_cookie,
)
from web import appkeys
from web.app import create_app
from web.config import WebConfig
from web.models import User


def cid(n: int) -> str:
    return f"example-conversation-{n:04d}"


async def open_console(client: TestClient, config: WebConfig, user: User) -> Any:
    ws = await client.ws_connect(
        "/peer/ws", headers={**origin(client), **peer_cookie(config, user)}
    )
    hello = await next_frame(ws, "hello")
    assert hello["name"] == user.display_name
    await next_frame(ws, "queue")
    return ws


async def signed_out_console(client: TestClient, config: WebConfig) -> Any:
    """An open console whose session was then ended elsewhere (another tab, another replica)."""
    from web.accounts import end_session

    headers = peer_cookie(config, make_peer(config))
    console = await client.ws_connect("/peer/ws", headers={**origin(client), **headers})
    await next_frame(console, "queue")
    end_session(config.database_url, headers["Cookie"].split("=", 1)[1])
    return console


async def ask_for_peer(client: TestClient, conversation_id: str) -> tuple[Any, dict[str, Any]]:
    ws = await open_chat(client, conversation_id)
    await ws.send_json({"type": "message", "client_id": "peer-1", "text": "/request_peer"})
    state = (await frames_until(ws, lambda f: f["type"] == "state"))[-1]
    return ws, state


async def test_people_get_their_place_in_line_and_peers_see_the_summary(
    client: TestClient, web_config: WebConfig
):
    console = await open_console(client, web_config, make_peer(web_config))
    positions = []
    for n in range(3):
        _, state = await ask_for_peer(client, cid(n))
        positions.append((state["state"], state["position"]))
    assert positions == [("waiting", 1), ("waiting", 2), ("waiting", 3)]
    queue = (await frames_until(console, lambda f: f["type"] == "queue" and len(f["items"]) == 3))
    items = queue[-1]["items"]
    assert [i["conversation_id"] for i in items] == [cid(0), cid(1), cid(2)]
    assert items[0]["summary"]["needs"] == ["detox"]


async def test_only_one_of_two_concurrent_claims_wins(client: TestClient, web_config: WebConfig):
    sam, alex = make_peer(web_config), make_peer(web_config, "alex", "Alex")
    first = await open_console(client, web_config, sam)
    second = await open_console(client, web_config, alex)
    person, _ = await ask_for_peer(client, cid(1))
    await asyncio.gather(
        first.send_json({"type": "claim", "conversation_id": cid(1)}),
        second.send_json({"type": "claim", "conversation_id": cid(1)}),
    )

    async def outcome(ws: Any) -> str:
        frame = await next_frame(ws, timeout=5)
        while frame["type"] not in ("transcript", "error"):
            frame = await next_frame(ws, timeout=5)
        return frame["type"] if frame["type"] == "transcript" else frame["code"]

    results = sorted([await outcome(first), await outcome(second)])
    assert results == ["claim_failed", "transcript"]
    joined = await frames_until(person, lambda f: f.get("custom", {}) and
                                f["custom"].get("type") == "peer_joined")
    assert joined[-1]["text"].endswith("a peer recovery specialist, joined the chat.")


async def test_claims_race_on_the_state_machine_directly(web_config: WebConfig, server):
    handoff = server.app[appkeys.HANDOFF]
    sam, alex = make_peer(web_config), make_peer(web_config, "alex", "Alex")
    handoff.queue(cid(9), {"needs": []})
    results = await asyncio.gather(
        asyncio.to_thread(handoff.claim, cid(9), sam.id),
        asyncio.to_thread(handoff.claim, cid(9), alex.id),
    )
    assert sorted(results) == [False, True]


async def claimed(client: TestClient, config: WebConfig) -> tuple[Any, Any]:
    console = await open_console(client, config, make_peer(config))
    person, _ = await ask_for_peer(client, cid(1))
    await console.send_json({"type": "claim", "conversation_id": cid(1)})
    transcript = await next_frame(console, "transcript")
    assert transcript["summary"]["location"] == "Baltimore, MD 21201"
    assert [m["text"] for m in transcript["messages"]][:1] == ["/request_peer"]
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "with_peer")
    return person, console


async def test_messages_flow_both_ways_and_skip_rasa(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa
):
    person, console = await claimed(client, web_config)
    turns_before = len(fake_rasa.turns)
    await person.send_json({"type": "message", "client_id": "p2", "text": "I need a bed tonight"})
    got = await next_frame(console, "message")
    assert (got["sender"], got["text"]) == ("person", "I need a bed tonight")
    await console.send_json({"type": "send", "conversation_id": cid(1), "text": "I'm here."})
    reply = await frames_until(person, lambda f: f["type"] == "message" and f["sender"] == "peer")
    assert reply[-1]["text"] == "I'm here." and reply[-1]["author"] == "Sam"
    assert len(fake_rasa.turns) == turns_before


async def test_peer_can_send_resource_cards(client: TestClient, web_config: WebConfig):
    person, console = await claimed(client, web_config)
    card = {"id": "example-1", "name": "Example Detox Center", "phone": "410-555-0100",
            "extra": "<script>alert(1)</script>"}
    await console.send_json({"type": "send", "conversation_id": cid(1), "cards": [card]})
    frame = (await frames_until(person, lambda f: f.get("sender") == "peer"))[-1]
    sent = frame["custom"]["resources"][0]
    assert frame["custom"]["type"] == "resources"
    assert sent["name"] == "Example Detox Center" and "extra" not in sent
    assert sent["website"] is None  # every contract field is present


async def test_return_to_bot_resumes_rasa_and_the_bot_answers_again(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa
):
    person, console = await claimed(client, web_config)
    await console.send_json({"type": "return_to_bot", "conversation_id": cid(1)})
    state = await next_frame(console, "conversation_state")
    assert state["state"] == "bot"
    # no token in the URL: it travels as a signed header (tests/web/test_rasa_auth.py)
    assert fake_rasa.events == [(cid(1), {"event": "resume"}, {})]
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "bot")
    await person.send_json({"type": "message", "client_id": "p3", "text": "back again"})
    reply = await frames_until(person, lambda f: f.get("sender") == "bot")
    assert reply[-1]["text"] == "echo: back again"


async def test_return_to_bot_keeps_the_peer_when_rasa_is_down(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa
):
    _, console = await claimed(client, web_config)
    fake_rasa.mode = "error"
    await console.send_json({"type": "return_to_bot", "conversation_id": cid(1)})
    error = await next_frame(console, "error")
    assert error["code"] == "rasa_unavailable"
    conversation = await asyncio.to_thread(
        lambda: __import__("web.store", fromlist=["x"]).ConversationStore(
            web_config.database_url).get(cid(1))
    )
    assert conversation.state == "with_peer"


async def test_peer_closes_and_the_next_message_goes_to_the_bot(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa
):
    person, console = await claimed(client, web_config)
    await console.send_json({"type": "close", "conversation_id": cid(1)})
    assert (await next_frame(console, "conversation_state"))["state"] == "closed"
    closed = await frames_until(person, lambda f: f["type"] == "state")
    assert closed[-1]["state"] == "closed"
    await person.send_json({"type": "message", "client_id": "p4", "text": "thanks"})
    reply = await frames_until(person, lambda f: f.get("sender") == "bot")
    assert reply[-1]["text"] == "echo: thanks"
    assert fake_rasa.events[-1][1] == {"event": "resume"}


async def test_person_can_end_the_peer_chat(client: TestClient, web_config: WebConfig):
    person, console = await claimed(client, web_config)
    await person.send_json({"type": "end"})
    notice = await next_frame(console, "message")
    assert notice["text"].startswith("You ended the chat")
    assert (await next_frame(console, "conversation_state"))["state"] == "closed"
    await console.send_json({"type": "send", "conversation_id": cid(1), "text": "still there?"})
    assert (await next_frame(console, "error"))["code"] == "not_yours"


async def test_nobody_online_keeps_the_bot_and_offers_to_wait(
    client: TestClient, fake_rasa: FakeRasa, web_config: WebConfig
):
    fake_rasa.handoff_status = "unavailable"
    person = await open_chat(client, cid(1))
    await person.send_json({"type": "message", "client_id": "r1", "text": "/request_peer"})
    frames = await frames_until(person, lambda f: f["type"] == "state")
    assert frames[-1]["state"] == "bot"
    offer = [f for f in frames if f.get("sender") == "system"][-1]
    assert offer["buttons"] == [{"title": "Wait here for a peer", "payload": "/wait_for_peer"}]
    turns = len(fake_rasa.turns)
    await person.send_json({"type": "message", "client_id": "w1", "text": "/wait_for_peer"})
    state = (await frames_until(person, lambda f: f["type"] == "state"))[-1]
    assert (state["state"], state["position"]) == ("waiting", 1)
    assert len(fake_rasa.turns) == turns  # a local choice, not sent to Rasa
    console = await open_console(client, web_config, make_peer(web_config))
    await console.send_json({"type": "claim", "conversation_id": cid(1)})
    transcript = await next_frame(console, "transcript")
    assert transcript["summary"]["location"] == "Baltimore, MD 21201"


async def test_asking_for_a_peer_while_rasa_is_down_with_nobody_online(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.mode = "error"
    person, state = await ask_for_peer(client, cid(1))
    assert state["state"] == "waiting"
    reload = await client.ws_connect("/ws", headers=origin(client))
    await reload.send_json({"type": "hello", "conversation_id": cid(1), "last_seq": 0})
    # a live state frame may cross the replay; the replay ends with the state that answers hello
    replay = await frames_until(reload, lambda f: f["type"] == "state" and "resumed_from" in f)
    notice = [f for f in replay if f.get("sender") == "system"][-1]
    assert "No peer recovery specialist is online right now" in notice["text"]
    assert "1-800-662-4357" in notice["text"]
    assert notice["buttons"][0]["payload"] == "/stop_waiting"


async def test_stop_waiting_returns_to_the_bot(client: TestClient, fake_rasa: FakeRasa):
    person, _ = await ask_for_peer(client, cid(1))
    await person.send_json({"type": "message", "client_id": "s1", "text": "/stop_waiting"})
    state = await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "bot")
    assert state
    assert fake_rasa.events[-1][1] == {"event": "resume"}


async def test_unclaimed_wait_gets_one_honest_notice(
    client: TestClient, server: TestServer, web_config: WebConfig
):
    person, _ = await ask_for_peer(client, cid(1))
    relay = server.app[appkeys.RELAY]
    relay.config = WebConfig(**{**web_config.__dict__, "handoff_timeout_seconds": 0})
    await relay.notify_overdue()
    await relay.notify_overdue()
    notices = await frames_until(person, lambda f: f.get("sender") == "system")
    assert "No peer has been able to join yet" in notices[-1]["text"]
    store = server.app[appkeys.STORE]
    texts = [m["text"] for m in store.since(cid(1)) if m["sender"] == "system"]
    assert len(texts) == 1


async def test_a_restart_keeps_everyone_in_line(
    client: TestClient,
    web_config: WebConfig,
    aiohttp_client: Callable[..., Awaitable[TestClient]],
):
    for n in range(2):
        await ask_for_peer(client, cid(n))
    restarted = await aiohttp_client(create_app(web_config))
    ws = await restarted.ws_connect("/ws", headers=origin(restarted))
    await ws.send_json({"type": "hello", "conversation_id": cid(1), "last_seq": 0})
    state = await next_frame(ws, "state")
    assert (state["state"], state["position"]) == ("waiting", 2)
    console = await restarted.ws_connect(
        "/peer/ws", headers={**origin(restarted), **peer_cookie(web_config, make_peer(web_config))}
    )
    queue = await next_frame(console, "queue")
    assert [i["conversation_id"] for i in queue["items"]] == [cid(0), cid(1)]


async def test_console_requires_sign_in(client: TestClient):
    response = await client.get("/peer", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"] == "/peer/login"
    response = await client.get("/peer/ws", headers=origin(client))
    assert response.status == 401


async def test_presence_follows_the_console(client: TestClient, web_config: WebConfig, server):
    handoff = server.app[appkeys.HANDOFF]
    console = await open_console(client, web_config, make_peer(web_config))
    assert handoff.online_count() == 1
    await console.send_json({"type": "presence", "status": "away"})
    assert (await next_frame(console, "presence"))["status"] == "away"
    assert handoff.online_count() == 0
    await console.send_json({"type": "presence", "status": "online"})
    await next_frame(console, "presence")
    await console.close()
    for _ in range(50):  # the server notices the closed socket asynchronously
        if handoff.online_count() == 0:
            break
        await asyncio.sleep(0.1)
    assert handoff.online_count() == 0


async def test_signing_out_elsewhere_ends_the_console_connection(
    client: TestClient, web_config: WebConfig
):
    console = await signed_out_console(client, web_config)
    await console.send_json({"type": "heartbeat"})
    message = await asyncio.wait_for(console.receive(), 5)
    assert message.type.name in ("CLOSE", "CLOSED", "CLOSING")
    assert console.close_code == 4001
