"""What the web app keeps of a person's messages: redacted text, coarse places."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from resources_db.db import session_scope
from tests.web.conftest import FakeRasa, frames_until, open_chat
from web.config import WebConfig
from web.models import Message

CID = "example-privacy-conversation-01"


def is_bot(frame: dict) -> bool:
    return frame["type"] == "message" and frame["sender"] in ("bot", "system")


def stored_texts(config: WebConfig) -> list[str]:
    with session_scope(config.database_url) as session:
        return [m.text or "" for m in session.scalars(select(Message).order_by(Message.seq))]


async def test_a_persons_details_are_redacted_in_the_web_tables(
    client: TestClient, fake_rasa: FakeRasa, web_config: WebConfig
) -> None:
    typed = ("my name is Jordan, call 410-555-0123 or jordan@example.com, "
             "I'm at 12 Example Street near 21201")
    ws = await open_chat(client, CID)
    await ws.send_json({"type": "message", "client_id": "m1", "text": typed})
    mine = (await frames_until(ws, is_bot))[0]

    # The assistant (and its crisis detector) gets the message as typed ...
    assert fake_rasa.turns[0]["message"] == typed
    # ... but what is stored, and shown back, keeps none of the details.
    stored = stored_texts(web_config)[0]
    assert mine["text"] == stored
    assert stored == ("my name is [name], call [phone] or [email], "
                      "I'm at [address] near 212xx")


async def test_a_shared_location_reaches_rasa_only_coarse(
    client: TestClient, fake_rasa: FakeRasa, web_config: WebConfig
) -> None:
    ws = await open_chat(client, CID)
    await ws.send_json({
        "type": "message", "client_id": "loc1", "display": "Shared my location",
        "text": '/share_location{"lat": 39.29041, "lon": -76.61219}',
    })
    await frames_until(ws, is_bot)
    sent = fake_rasa.turns[0]["message"]
    assert sent.startswith("/share_location")
    assert json.loads(sent[len("/share_location"):]) == {"lat": 39.3, "lon": -76.6}
    assert not any("39.29" in text or "76.61" in text for text in stored_texts(web_config))
