"""A crisis written in Spanish gets the web app's crisis reply in Spanish, in every state.

Through the real web app, with the conftest's fake Rasa (no crisis detector), so each reply
checked here is the web app's own. The 988 Lifeline's Spanish option comes from
national_resources.json, never from the test.
"""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from resources_db.national import line_by_key
from tests.web.conftest import FakeRasa, frames_until, make_peer, open_chat
from tests.web.test_handoff import ask_for_peer, cid, open_console
from tests.web.test_live_safety import is_crisis, say, unclaimed_after_crisis
from web.config import WebConfig

SUICIDE_ES = "ya no quiero vivir, me quiero matar"
OVERDOSE_ES = "mi hermano tomo muchas pastillas y no respira"


def spanish_option() -> tuple[str, str]:
    spanish = (line_by_key("988") or {})["spanish"]
    return spanish["press"], spanish["text_keyword"]


async def test_spanish_suicide_while_waiting_is_answered_in_spanish_with_988_options(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.mode = "error"  # nobody online, the web app queues on its own
    person, _ = await ask_for_peer(client, cid(1))
    await say(person, SUICIDE_ES, "c1")
    reply = (await frames_until(person, is_crisis))[-1]
    assert reply["custom"]["kind"] == "suicide"
    press, keyword = spanish_option()
    text = reply["text"]
    assert f"llama al 988 y oprime {press}" in text
    assert f"envía {keyword} por mensaje de texto al 988" in text
    assert "no esperes" in text
    assert "Thank you" not in text


async def test_spanish_overdose_for_someone_else_says_call_911_and_naloxone_in_spanish(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.mode = "error"
    person, _ = await ask_for_peer(client, cid(1))
    await say(person, OVERDOSE_ES, "c1")
    reply = (await frames_until(person, is_crisis))[-1]
    assert reply["custom"]["kind"] == "overdose"
    assert reply["custom"]["lines"][0]["phone"] == "911"
    assert reply["text"].startswith("Llama al 911 ahora")
    assert "naloxona" in reply["text"]


async def test_a_later_notice_keeps_the_language_the_crisis_was_written_in(
    client: TestClient, server: TestServer, web_config: WebConfig, fake_rasa: FakeRasa
):
    person = await unclaimed_after_crisis(client, server, web_config, SUICIDE_ES)
    notice = (
        await frames_until(
            person, lambda f: is_crisis(f) and "todavía nadie ha podido unirse" in f["text"]
        )
    )[-1]
    assert notice["custom"]["lines"][0]["phone"] == "988"


@pytest.mark.parametrize("text", ["I want to kill myself tonight"])
async def test_an_english_crisis_is_still_answered_in_english(
    client: TestClient, fake_rasa: FakeRasa, text: str
):
    fake_rasa.mode = "error"
    person, _ = await ask_for_peer(client, cid(1))
    await say(person, text, "c1")
    reply = (await frames_until(person, is_crisis))[-1]
    assert "Thank you for telling me" in reply["text"]
    assert "oprime" not in reply["text"]


async def test_the_peer_queue_says_the_person_writes_in_spanish(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa
):
    console = await open_console(client, web_config, make_peer(web_config))
    person, _ = await ask_for_peer(client, cid(1))
    await say(person, SUICIDE_ES, "c1")
    queue = (await frames_until(console, lambda f: f["type"] == "queue" and f["items"]
                                and f["items"][0]["urgent"]))[-1]
    assert queue["items"][0]["language"] == "es"


async def test_the_queue_knows_the_language_from_ordinary_messages_too(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa
):
    console = await open_console(client, web_config, make_peer(web_config))
    person = await open_chat(client, cid(2))
    await say(person, "hola, necesito ayuda para mi hijo", "c1")
    await frames_until(person, lambda f: f.get("sender") == "bot")
    await say(person, "21224", "c2")  # nothing telling: the language stays
    await frames_until(person, lambda f: f.get("sender") == "bot" and f["seq"] > 2)
    await say(person, "/request_peer", "c3")
    queue = (await frames_until(console, lambda f: f["type"] == "queue" and f["items"]))[-1]
    assert queue["items"][0]["conversation_id"] == cid(2)
    assert queue["items"][0]["language"] == "es"
