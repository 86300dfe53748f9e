"""Who may read what on the peer console (issue 22, findings 1 and 2).

1. Peers see a conversation only once it was handed to peers (the queue shows its summary),
   and its transcript only once they claimed it. Admins may read a handed-off transcript, and
   every such read is in the audit log.
2. Every console frame re-checks the session and role; signing out or being disabled closes
   the account's open consoles at once, without waiting for the next frame.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from resources_db.db import session_scope
from tests.web.conftest import (
    PASSWORD,
    make_peer,
    next_frame,
    open_chat,
    origin,
    peer_cookie,
)
from tests.web.test_handoff import cid, open_console, signed_out_console
from web.accounts import create_user, set_disabled
from web.config import WebConfig
from web.models import AuditEntry

SECRET = "what I told the assistant: example-private-words"


async def say(client: TestClient, conversation_id: str, text: str) -> Any:
    ws = await open_chat(client, conversation_id)
    await ws.send_json({"type": "message", "client_id": "c-1", "text": text})
    while (await next_frame(ws, "message"))["sender"] != "bot":
        pass
    return ws


async def open_frame(console: Any, conversation_id: str) -> dict[str, Any]:
    await console.send_json({"type": "open", "conversation_id": conversation_id})
    while True:
        frame = await next_frame(console)
        if frame["type"] in ("transcript", "error"):
            return frame


async def handed_off(client: TestClient, conversation_id: str) -> None:
    """The person tells the assistant SECRET, asks for a peer and waits until they are in
    line (the fake assistant answers with an older action server's "queued")."""
    person = await say(client, conversation_id, SECRET)
    await person.send_json({"type": "message", "client_id": "c-2", "text": "/request_peer"})
    while (await next_frame(person, "state"))["state"] != "waiting":
        pass


async def refused(console: Any, conversation_id: str) -> None:
    """The console may not open this conversation, and learns nothing of what was said."""
    frame = await open_frame(console, conversation_id)
    assert frame["type"] == "error" and frame["code"] == "not_yours"
    assert SECRET not in str(frame)


def texts(frame: dict[str, Any]) -> list[str]:
    return [m.get("text") or "" for m in frame.get("messages", [])]


async def test_a_peer_cannot_open_a_conversation_never_handed_to_peers(
    client: TestClient, web_config: WebConfig
):
    await say(client, cid(1), SECRET)
    console = await open_console(client, web_config, make_peer(web_config))
    await refused(console, cid(1))


async def test_a_waiting_conversation_shows_only_its_summary_until_claimed(
    client: TestClient, web_config: WebConfig
):
    await handed_off(client, cid(2))
    console = await open_console(client, web_config, make_peer(web_config))
    await refused(console, cid(2))
    await console.send_json({"type": "claim", "conversation_id": cid(2)})
    transcript = await next_frame(console, "transcript")
    assert SECRET in texts(transcript)
    assert SECRET in texts(await open_frame(console, cid(2)))  # the claimer may re-open it


async def test_a_peer_cannot_read_a_conversation_another_peer_claimed(
    client: TestClient, web_config: WebConfig
):
    sam, alex = make_peer(web_config), make_peer(web_config, "alex", "Alex")
    await handed_off(client, cid(3))
    first = await open_console(client, web_config, sam)
    await first.send_json({"type": "claim", "conversation_id": cid(3)})
    await next_frame(first, "transcript")
    await refused(await open_console(client, web_config, alex), cid(3))


async def test_an_admin_read_of_a_handed_off_transcript_is_audited(
    client: TestClient, web_config: WebConfig
):
    await handed_off(client, cid(4))
    await say(client, cid(5), SECRET)  # never handed off
    admin = create_user(web_config.database_url, "ada", PASSWORD, "admin", "Ada")
    console = await open_console(client, web_config, admin)
    frame = await open_frame(console, cid(4))
    assert SECRET in texts(frame)
    never = await open_frame(console, cid(5))
    assert never["type"] == "error" and SECRET not in str(never)
    with session_scope(web_config.database_url) as session:
        reads = [(e.actor, e.action, e.record_type, e.record_id)
                 for e in session.query(AuditEntry).all()]
    assert reads == [("user:ada", "transcript_read", "conversation", cid(4))]


async def closed_within(console: Any, seconds: float = 5.0) -> int | None:
    """The close code once the server closed the console (None if it stayed open)."""
    try:
        while True:
            message = await asyncio.wait_for(console.receive(), seconds)
            if message.type.name == "CLOSE":
                return int(message.data)
            if message.type.name in ("CLOSED", "CLOSING"):
                return console.close_code
    except TimeoutError:
        return None


async def test_a_signed_out_session_gets_no_answer_to_any_frame(
    client: TestClient, web_config: WebConfig
):
    console = await signed_out_console(client, web_config)
    await console.send_json({"type": "presence", "status": "online"})  # not a heartbeat
    assert await closed_within(console) == 4001


async def test_signing_out_closes_the_open_console_at_once(
    client: TestClient, web_config: WebConfig
):
    make_peer(web_config)
    html = await (await client.get("/peer/login")).text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    await client.post("/peer/login", data={"username": "sam", "password": PASSWORD,
                                           "csrf_token": token.group(1)})
    console = await client.ws_connect("/peer/ws", headers=origin(client))
    await next_frame(console, "queue")
    page = await (await client.get("/peer")).text()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    out = await client.post("/peer/logout", data={"csrf_token": csrf.group(1)},
                            allow_redirects=False)
    assert out.status == 302
    assert await closed_within(console) == 4001  # no frame sent by the console


async def test_disabling_an_account_closes_its_consoles_at_once(
    client: TestClient, web_config: WebConfig, server: TestServer
):
    sam = make_peer(web_config)
    console = await open_console(client, web_config, sam)
    admin = create_user(web_config.database_url, "ada", PASSWORD, "admin", "Ada")
    admin_headers = peer_cookie(web_config, admin)
    page = await (await client.get("/admin/accounts", headers=admin_headers)).text()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    response = await client.post(
        f"/admin/accounts/{sam.id}/disable", headers=admin_headers,
        data={"csrf_token": csrf.group(1), "disabled": "1"},
    )
    assert response.status == 200
    assert await closed_within(console) == 4001


async def test_disabled_elsewhere_the_next_frame_is_refused(
    client: TestClient, web_config: WebConfig
):
    sam = make_peer(web_config)
    console = await open_console(client, web_config, sam)
    set_disabled(web_config.database_url, sam.id, True)  # e.g. from another replica
    await console.send_json({"type": "open", "conversation_id": cid(9)})
    assert await closed_within(console) == 4001
