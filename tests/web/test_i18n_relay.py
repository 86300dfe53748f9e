"""The relay's own notices reach a person in the language they write in (or chose with the
English / Español button), and the frames tell the widget that language.

Through the real web app with the conftest's fake Rasa, which answers in English whatever is
written: every Spanish word checked here is the web app's own, from web/locale.
"""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from resources_db.national import line_by_key
from tests.web.conftest import FakeRasa, frames_until, make_peer, next_frame, open_chat
from tests.web.test_handoff import cid, open_console
from web.config import WebConfig
from web.crisis_text import crisis_reply

SPANISH = "hola, necesito ayuda para encontrar un detox"


async def say(ws: Any, text: str, client_id: str, language: str | None = None) -> None:
    frame = {"type": "message", "client_id": client_id, "text": text}
    if language:
        frame["language"] = language
    await ws.send_json(frame)


def from_system(frame: dict[str, Any]) -> bool:
    return frame.get("type") == "message" and frame.get("sender") == "system"


async def test_a_spanish_writer_gets_the_wait_offer_and_the_queue_notice_in_spanish(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.handoff_status = "unavailable"  # nobody online: the web app offers to wait
    person = await open_chat(client, cid(1))
    await say(person, SPANISH, "m1")
    reply = (await frames_until(person, lambda f: f.get("sender") == "bot"))[-1]
    assert reply["language"] == "es"
    await say(person, "/request_peer", "m2")
    offer = (await frames_until(person, from_system))[-1]
    assert offer["language"] == "es"
    assert offer["text"].startswith("Si quieres, también puedes esperar aquí")
    assert offer["buttons"] == [{"title": "Esperar aquí a una persona",
                                 "payload": "/wait_for_peer"}]
    await say(person, "/wait_for_peer", "m3")
    queued = (await frames_until(person, from_system))[-1]
    assert queued["text"].startswith("Listo. Estás en la fila")
    assert queued["buttons"][0]["title"] == "Seguir con el asistente"
    state = (await frames_until(person, lambda f: f["type"] == "state"))[-1]
    assert (state["state"], state["language"]) == ("waiting", "es")


async def test_an_english_writer_gets_the_same_notices_in_english(
    client: TestClient, fake_rasa: FakeRasa
):
    fake_rasa.handoff_status = "unavailable"
    person = await open_chat(client, cid(2))
    await say(person, "hi, I need help finding detox", "m1")
    reply = (await frames_until(person, lambda f: f.get("sender") == "bot"))[-1]
    assert reply["language"] == "en"
    await say(person, "/request_peer", "m2")
    offer = (await frames_until(person, from_system))[-1]
    assert offer["text"].startswith("If you'd like, you can also wait here")
    assert offer["buttons"][0]["title"] == "Wait here for a peer"


async def test_the_language_button_sets_the_conversation_s_language(
    client: TestClient, fake_rasa: FakeRasa
):
    person = await open_chat(client, cid(3))
    await say(person, '/choose_language{"chat_language": "es"}', "m1", language="en")
    reply = (await frames_until(person, lambda f: f.get("sender") == "bot"))[-1]
    assert reply["language"] == "es"
    # a reload: the state after the replay says the language, so the widget starts in it
    again = await client.ws_connect("/ws", headers={"Origin": f"http://{client.host}:{client.port}"})
    await again.send_json({"type": "hello", "conversation_id": cid(3), "last_seq": 0})
    state = (await frames_until(again, lambda f: f["type"] == "state"))[-1]
    assert state["language"] == "es"


async def test_a_new_conversation_s_language_is_unknown_until_the_person_writes(client: TestClient):
    ws = await client.ws_connect("/ws", headers={"Origin": f"http://{client.host}:{client.port}"})
    await ws.send_json({"type": "hello", "conversation_id": cid(4), "last_seq": 0})
    state = await next_frame(ws, "state")
    assert state["language"] is None  # the widget keeps the page's language


async def test_errors_are_worded_in_the_language_the_widget_shows(client: TestClient):
    person = await open_chat(client, cid(5))
    await say(person, "x" * 2001, "m1", language="es")
    error = await next_frame(person, "error")
    assert error["code"] == "too_long"
    assert error["message"] == (
        "Ese mensaje es demasiado largo. Por favor, usa menos de 2,000 caracteres."
    )
    await say(person, "y" * 2001, "m2")  # the widget said it once: it holds for the socket
    assert (await next_frame(person, "error"))["message"].startswith("Ese mensaje")


async def test_a_peer_joining_a_spanish_conversation_is_announced_in_spanish(
    client: TestClient, web_config: WebConfig
):
    console = await open_console(client, web_config, make_peer(web_config))
    person = await open_chat(client, cid(6))
    await say(person, SPANISH, "m1")
    await frames_until(person, lambda f: f.get("sender") == "bot")
    await say(person, "/request_peer", "m2")
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "waiting")
    await console.send_json({"type": "claim", "conversation_id": cid(6)})
    joined = (await frames_until(person, from_system))[-1]
    assert joined["text"] == "Sam, especialista de apoyo entre pares, se unió al chat."
    state = (await frames_until(person, lambda f: f["type"] == "state"))[-1]
    assert (state["state"], state["peer_name"], state["language"]) == ("with_peer", "Sam", "es")
    await person.send_json({"type": "end"})
    ended = (await frames_until(person, from_system))[-1]
    assert ended["text"].startswith("Terminaste el chat con Sam.")


def test_a_crisis_reply_in_line_without_a_known_place_says_in_line_once():
    # the place used to be "in line" and the sentence added "in line" again
    text = crisis_reply("overdose", "self", "waiting", position=None).text
    assert "you're in line, and a peer recovery specialist" in text
    assert "in line in line" not in text
    assert "estás en la fila, y" in crisis_reply("overdose", "self", "waiting", language="es").text


def test_the_spanish_crisis_reply_gives_the_lifeline_s_spanish_option():
    entry = line_by_key("988") or {}
    spanish = entry["spanish"]
    text = crisis_reply("suicide", "self", "bot", language="es").text
    assert text.startswith("Gracias por decírmelo.")
    assert (f"llama al {entry['phone']} y oprime {spanish['press']} para hablar en español, o "
            f"envía {spanish['text_keyword']} por mensaje de texto al {entry['text']}") in text
    english = crisis_reply("suicide", "self", "bot", language="en").text
    assert f"call or text the {entry['name']} now" in english
