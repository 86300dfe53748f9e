"""The web app decides a requested handoff (issue 16: "the web app owns handoff and presence;
the action only asks"). The assistant sends `{"type": "handoff", "status": "requested"}` and no
words; the person's widget gets the contract's `queued` or `unavailable` frame with the words
of the web app's catalog, in their language."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from resources_db.national import UNAVAILABLE_LINE_KEYS, line_by_key
from tests.web.conftest import FakeRasa, frames_until, make_peer, next_frame, open_chat
from tests.web.test_handoff import cid, open_console
from web import appkeys
from web.config import WebConfig

FIRST = {"en": "hi, I need help finding detox",
         "es": "hola, necesito ayuda para encontrar un detox"}
QUEUED_WORDS = {
    "en": "I'm connecting you with a peer recovery specialist",
    "es": "Te estoy conectando con un especialista de apoyo entre pares",
}
UNAVAILABLE_WORDS = {
    "en": "I'm sorry, no peer recovery specialist is online right now.",
    "es": "Lo siento, ahora no hay ningún especialista de apoyo entre pares en línea.",
}
KEEP_HELPING = {
    "en": "I can keep helping you look for services in the meantime.",
    "es": "Mientras tanto, puedo seguir ayudándote a buscar servicios.",
}
WAIT_TITLE = {"en": "Wait here for a peer", "es": "Esperar aquí a una persona"}


@pytest.fixture(autouse=True)
def requested(fake_rasa: FakeRasa) -> None:
    """The fake assistant asks, as actions/handoff.py does now."""
    fake_rasa.handoff_status = "requested"


async def ask(client: TestClient, conversation_id: str, language: str) -> list[dict[str, Any]]:
    """A person (writing in `language`) asks for a peer; the frames up to their state."""
    person = await open_chat(client, conversation_id)
    await person.send_json({"type": "message", "client_id": "m0", "text": FIRST[language]})
    await frames_until(person, lambda f: f.get("sender") == "bot")
    await person.send_json({"type": "message", "client_id": "m1", "text": "/request_peer"})
    return await frames_until(person, lambda f: f["type"] == "state")


def handoff_statuses(frames: list[dict[str, Any]]) -> list[str]:
    return [f["custom"]["status"] for f in frames
            if f["type"] == "message" and (f.get("custom") or {}).get("type") == "handoff"]


def words(frames: list[dict[str, Any]]) -> str:
    return " ".join(f.get("text") or "" for f in frames if f["type"] == "message")


@pytest.mark.parametrize("language", ["en", "es"])
async def test_a_request_with_a_peer_online_queues_the_person(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa, language: str
):
    console = await open_console(client, web_config, make_peer(web_config))
    frames = await ask(client, cid(1), language)
    assert handoff_statuses(frames) == ["queued"]
    connecting = [f for f in frames if QUEUED_WORDS[language] in (f.get("text") or "")]
    assert [(f["sender"], f["language"]) for f in connecting] == [("bot", language)]
    assert UNAVAILABLE_WORDS[language] not in words(frames)
    assert (frames[-1]["state"], frames[-1]["position"]) == ("waiting", 1)
    queue = await frames_until(console, lambda f: f["type"] == "queue" and f["items"])
    assert queue[-1]["items"][0]["summary"]["needs"] == ["detox"]


@pytest.mark.parametrize("language", ["en", "es"])
async def test_a_request_with_nobody_online_gives_lines_and_keeps_the_assistant(
    client: TestClient, fake_rasa: FakeRasa, language: str
):
    frames = await ask(client, cid(2), language)
    assert handoff_statuses(frames) == ["unavailable"]
    assert frames[-1]["state"] == "bot"
    [sorry] = [f for f in frames if UNAVAILABLE_WORDS[language] in (f.get("text") or "")]
    assert (sorry["sender"], sorry["language"]) == ("bot", language)
    for key in UNAVAILABLE_LINE_KEYS:  # the numbers of the national list, nothing else
        line = line_by_key(key)
        assert line is not None and line["phone"] in sorry["text"]
    assert [line["name"] for line in sorry["custom"]["lines"]] == [
        line_by_key(key)["name"] for key in UNAVAILABLE_LINE_KEYS]  # type: ignore[index]
    assert KEEP_HELPING[language] in words(frames)
    offer = [f for f in frames if f.get("sender") == "system"][-1]
    assert offer["buttons"] == [{"title": WAIT_TITLE[language], "payload": "/wait_for_peer"}]
    assert QUEUED_WORDS[language] not in words(frames)


async def test_nobody_online_means_the_person_keeps_talking_with_the_assistant(
    client: TestClient, fake_rasa: FakeRasa
):
    await ask(client, cid(3), "en")
    person = await open_chat(client, cid(3), last_seq=99)
    await person.send_json({"type": "message", "client_id": "m2", "text": "detox please"})
    reply = await frames_until(person, lambda f: f.get("sender") == "bot")
    assert reply[-1]["text"] == "echo: detox please"
    assert fake_rasa.events == []  # nothing to resume: the assistant was never paused


async def test_a_queued_person_is_not_answered_by_the_assistant_until_the_peer_returns(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa
):
    console = await open_console(client, web_config, make_peer(web_config))
    await ask(client, cid(4), "en")
    person = await open_chat(client, cid(4), last_seq=99)
    turns = len(fake_rasa.turns)
    await person.send_json({"type": "message", "client_id": "w1", "text": "are you there?"})
    waiting = await frames_until(person, lambda f: f["type"] == "state")
    assert waiting[-1]["state"] == "waiting"
    assert not [f for f in waiting if f.get("sender") == "bot"]
    assert len(fake_rasa.turns) == turns  # not sent to the assistant
    await console.send_json({"type": "claim", "conversation_id": cid(4)})
    await next_frame(console, "transcript")
    await console.send_json({"type": "return_to_bot", "conversation_id": cid(4)})
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "bot")
    await person.send_json({"type": "message", "client_id": "w2", "text": "hello again"})
    reply = await frames_until(person, lambda f: f.get("sender") == "bot")
    assert reply[-1]["text"] == "echo: hello again"


async def test_the_presence_window_is_the_web_app_s(
    client: TestClient, server: TestServer, web_config: WebConfig, fake_rasa: FakeRasa
):
    """A peer seen a minute ago is available within the default window, not within 30 s."""
    from datetime import timedelta

    from sqlalchemy import update

    from web.db import session_scope
    from web.models import PeerPresence, utcnow

    peer = make_peer(web_config)
    server.app[appkeys.HANDOFF].set_presence(peer, "online")
    with session_scope(web_config.database_url) as session:
        session.execute(update(PeerPresence).values(last_seen_at=utcnow() - timedelta(minutes=1)))
    assert handoff_statuses(await ask(client, cid(5), "en")) == ["queued"]
    relay = server.app[appkeys.RELAY]
    relay.config = WebConfig(**{**web_config.__dict__, "presence_window_seconds": 30})
    assert handoff_statuses(await ask(client, cid(6), "en")) == ["unavailable"]


@pytest.mark.parametrize(("status", "state"), [("queued", "waiting"), ("unavailable", "bot")])
async def test_an_older_assistant_s_own_answer_is_still_followed(
    client: TestClient, fake_rasa: FakeRasa, status: str, state: str
):
    """An action server from before this change decided and worded it itself: the web app
    follows its answer and adds no words of its own about availability."""
    fake_rasa.handoff_status = status
    frames = await ask(client, cid(7), "en")
    assert handoff_statuses(frames) == [status]
    assert frames[-1]["state"] == state
    text = words(frames)
    assert UNAVAILABLE_WORDS["en"] not in text and QUEUED_WORDS["en"] not in text


async def test_in_line_with_nobody_online_is_told_in_spanish_too(
    client: TestClient, fake_rasa: FakeRasa
):
    """The assistant is down, so the web app queues the person itself: the lines, in the
    language they write in (this notice had been left out of the catalog)."""
    fake_rasa.mode = "error"
    person = await open_chat(client, cid(8))
    await person.send_json({"type": "message", "client_id": "m0", "text": FIRST["es"]})
    await frames_until(person, lambda f: f.get("sender") == "system")
    await person.send_json({"type": "message", "client_id": "m1", "text": "/request_peer"})
    frames = await frames_until(person, lambda f: f["type"] == "state")
    notice = [f for f in frames if f.get("sender") == "system"][-1]
    assert notice["text"].startswith("Ahora no hay ningún especialista de apoyo entre pares")
    assert "1-800-662-4357" in notice["text"]
    assert notice["buttons"][0]["title"] == "Seguir con el asistente"
