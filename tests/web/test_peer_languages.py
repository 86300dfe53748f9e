"""A peer says they speak Spanish (console, admin accounts page, createuser), and people who
write in Spanish are offered to them first: through the real web app and its consoles."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from tests.web.conftest import PASSWORD, frames_until, make_peer, next_frame, open_chat, origin
from tests.web.test_handoff import ask_for_peer, cid
from tests.web.test_live_safety import say
from web.__main__ import main
from web.accounts import create_user, start_session
from web.config import WebConfig
from web.db import session_scope
from web.models import AuditEntry, Conversation, User, utcnow

SPANISH = "hola, necesito ayuda para mi hijo"
OVERDOSE_ES = "mi hermano tomo muchas pastillas y no respira"


def signed_in(config: WebConfig, user: User) -> tuple[dict[str, str], str]:
    """The session cookie header and its CSRF token."""
    session = start_session(config.database_url, user)
    return {"Cookie": f"rn_session={session.token}"}, session.csrf_token


def stored_languages(config: WebConfig, username: str) -> str:
    with session_scope(config.database_url) as session:
        return str(session.scalar(select(User.languages).where(User.username == username)))


async def console_for(client: TestClient, config: WebConfig, user: User) -> tuple[Any, dict]:
    cookie, _ = signed_in(config, user)
    ws = await client.ws_connect("/peer/ws", headers={**origin(client), **cookie})
    hello = await next_frame(ws, "hello")
    await next_frame(ws, "queue")
    return ws, hello


async def spanish_writer_waits(client: TestClient, conversation_id: str) -> Any:
    person = await open_chat(client, conversation_id)
    await say(person, SPANISH, "c1")
    await frames_until(person, lambda f: f.get("sender") == "bot")
    await say(person, "/request_peer", "c2")
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "waiting")
    return person


def queue_with(conversation_id: str, present: bool = True) -> Any:
    def matches(frame: dict[str, Any]) -> bool:
        if frame["type"] != "queue":
            return False
        shown = conversation_id in [i["conversation_id"] for i in frame["items"]]
        return shown == present
    return matches


# the setting -------------------------------------------------------------------------------
async def test_setting_languages_needs_a_signed_in_peer(client: TestClient):
    answer = await client.post("/peer/api/languages", data={"languages": "es"})
    assert answer.status == 401


async def test_setting_languages_needs_the_session_s_csrf_token(
    client: TestClient, web_config: WebConfig
):
    cookie, _ = signed_in(web_config, make_peer(web_config))
    for form in ({"languages": "es"}, {"languages": "es", "csrf_token": "example-wrong"}):
        answer = await client.post("/peer/api/languages", data=form, headers=cookie)
        assert answer.status == 403
    assert stored_languages(web_config, "sam") == ""


async def test_a_peer_marks_spanish_in_the_console_and_it_is_kept(
    client: TestClient, web_config: WebConfig
):
    cookie, csrf = signed_in(web_config, make_peer(web_config))
    page = await (await client.get("/peer", headers=cookie)).text()
    assert 'id="speaks-es"' in page and "I speak Spanish" in page
    assert 'value="es" checked' not in page

    answer = await client.post("/peer/api/languages", headers=cookie,
                               data={"csrf_token": csrf, "languages": "es"})
    assert answer.status == 200 and (await answer.json()) == {"languages": ["es"]}
    assert stored_languages(web_config, "sam") == "es"
    page = await (await client.get("/peer", headers=cookie)).text()
    assert 'value="es" checked' in page
    with session_scope(web_config.database_url) as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.actor, entry.action) == ("user:sam", "account_languages")
        assert entry.after == {"username": "sam", "languages": ["es"]}

    answer = await client.post("/peer/api/languages", headers=cookie, data={"csrf_token": csrf})
    assert (await answer.json()) == {"languages": []}
    assert stored_languages(web_config, "sam") == ""
    wrong = await client.post("/peer/api/languages", headers=cookie,
                              data={"csrf_token": csrf, "languages": "xx"})
    assert wrong.status == 400 and (await wrong.json())["error"]["field"] == "languages"


async def test_an_admin_sets_a_peer_s_languages_and_the_open_console_follows(
    client: TestClient, web_config: WebConfig
):
    peer = make_peer(web_config)
    admin = create_user(web_config.database_url, "example-admin", PASSWORD, "admin", "Admin")
    cookie, csrf = signed_in(web_config, admin)
    console, hello = await console_for(client, web_config, peer)
    assert hello["languages"] == []
    page = await client.post(f"/admin/accounts/{peer.id}/languages", headers=cookie,
                             data={"csrf_token": csrf, "languages": "es"})
    assert page.status == 200 and "Languages saved." in await page.text()
    assert stored_languages(web_config, "sam") == "es"
    assert (await next_frame(console, "languages"))["languages"] == ["es"]
    forged = await client.post(f"/admin/accounts/{peer.id}/languages", headers=cookie,
                               data={"csrf_token": "example-wrong"})
    assert forged.status == 403 and stored_languages(web_config, "sam") == "es"
    accounts = await (await client.get("/admin/accounts", headers=cookie)).text()
    assert f'id="es-{peer.id}" name="languages" value="es" checked' in accounts


def test_createuser_takes_the_languages_a_peer_speaks(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("RN_DATABASE_URL", url)
    monkeypatch.delenv("RN_ENV", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["createuser", "ana", "--role", "peer", "--language", "es",
                 "--password-stdin"]) == 0
    with session_scope(url) as session:
        assert session.scalar(select(User.languages).where(User.username == "ana")) == "es"


# offering ----------------------------------------------------------------------------------
@pytest.fixture
async def two_peers(client: TestClient, web_config: WebConfig) -> tuple[Any, Any]:
    """Ana speaks Spanish, Sam does not; both consoles open (both online)."""
    ana = create_user(web_config.database_url, "ana", PASSWORD, "peer", "Ana", ["es"])
    sam = make_peer(web_config)
    ana_console, hello = await console_for(client, web_config, ana)
    assert hello["languages"] == ["es"]
    sam_console, _ = await console_for(client, web_config, sam)
    return ana_console, sam_console


async def test_the_spanish_writer_goes_first_to_the_peer_who_speaks_spanish_only(
    client: TestClient, two_peers: tuple[Any, Any]
):
    ana, sam = two_peers
    await ask_for_peer(client, cid(1))
    person = await spanish_writer_waits(client, cid(2))
    ana_queue = (await frames_until(ana, queue_with(cid(2))))[-1]["items"]
    assert [i["conversation_id"] for i in ana_queue] == [cid(2), cid(1)]
    assert ana_queue[0]["language_match"] is True
    assert [i["position"] for i in ana_queue] == [2, 1], "places in the shared line"
    sam_queue = (await frames_until(sam, lambda f: f["type"] == "queue"
                                    and len(f["items"]) == 1))[-1]["items"]
    assert [i["conversation_id"] for i in sam_queue] == [cid(1)]
    # the person is told their place in the shared line
    assert (await frames_until(person, lambda f: f["type"] == "state"))[-1]["position"] == 2


async def test_a_person_who_first_writes_spanish_while_waiting_is_offered_anew(
    client: TestClient, two_peers: tuple[Any, Any]
):
    """The language can show only after the wait began: the consoles follow at once."""
    ana, sam = two_peers
    person, _ = await ask_for_peer(client, cid(3))
    await frames_until(sam, queue_with(cid(3)))
    await say(person, SPANISH, "c3")
    ana_queue = (await frames_until(
        ana, lambda f: f["type"] == "queue" and any(
            i["conversation_id"] == cid(3) and i.get("language_match") for i in f["items"])
    ))[-1]["items"]
    assert ana_queue[0]["conversation_id"] == cid(3)
    await frames_until(sam, queue_with(cid(3), present=False))


async def test_when_the_spanish_speaking_peer_steps_away_everyone_sees_the_person(
    client: TestClient, two_peers: tuple[Any, Any]
):
    ana, sam = two_peers
    await spanish_writer_waits(client, cid(2))
    await frames_until(ana, queue_with(cid(2)))
    await ana.send_json({"type": "presence", "status": "away"})
    await frames_until(sam, queue_with(cid(2)))


async def test_with_no_spanish_speaking_peer_online_everyone_sees_the_person_at_once(
    client: TestClient, web_config: WebConfig
):
    sam, _ = await console_for(client, web_config, make_peer(web_config))
    await spanish_writer_waits(client, cid(2))
    item = (await frames_until(sam, queue_with(cid(2))))[-1]["items"][0]
    assert item["language"] == "es" and item["language_match"] is False


async def test_a_crisis_is_shown_to_every_peer_at_once_whatever_the_language(
    client: TestClient, two_peers: tuple[Any, Any]
):
    ana, sam = two_peers
    await ask_for_peer(client, cid(1))
    person = await spanish_writer_waits(client, cid(2))
    await say(person, OVERDOSE_ES, "c3")
    for console in (sam, ana):
        queue = (await frames_until(console, lambda f: f["type"] == "queue" and any(
            i["urgent"] for i in f["items"])))[-1]["items"]
        assert [i["conversation_id"] for i in queue] == [cid(2), cid(1)]
        assert queue[0]["urgent"] is True


async def test_the_person_reaches_every_console_when_the_grace_ends_without_anyone_acting(
    client: TestClient, web_config: WebConfig, two_peers: tuple[Any, Any]
):
    ana, sam = two_peers
    # the person has waited all but a moment of the grace period when they ask
    await spanish_writer_waits(client, cid(2))
    almost = utcnow() - timedelta(seconds=web_config.language_match_seconds - 0.3)
    with session_scope(web_config.database_url) as session:
        session.execute(update(Conversation).where(Conversation.id == cid(2))
                        .values(waiting_since=almost))
    await ask_for_peer(client, cid(1))  # a queue change with the earlier wait
    await frames_until(sam, lambda f: f["type"] == "queue" and len(f["items"]) == 1)
    # nothing else happens: the console gets the person when the offer ends
    await frames_until(sam, queue_with(cid(2)))


async def test_one_claim_wins_between_the_spanish_speaker_and_another_peer(
    client: TestClient, two_peers: tuple[Any, Any]
):
    ana, sam = two_peers
    await spanish_writer_waits(client, cid(2))
    await frames_until(ana, queue_with(cid(2)))
    await asyncio.gather(
        ana.send_json({"type": "claim", "conversation_id": cid(2)}),
        sam.send_json({"type": "claim", "conversation_id": cid(2)}),
    )

    async def outcome(ws: Any) -> str:
        frame = await next_frame(ws)
        while frame["type"] not in ("transcript", "error"):
            frame = await next_frame(ws)
        return frame["type"] if frame["type"] == "transcript" else frame["code"]

    assert sorted([await outcome(ana), await outcome(sam)]) == ["claim_failed", "transcript"]
