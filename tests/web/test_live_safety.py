"""Crisis comes first in every state of the handoff, and crises go first in the peer queue.

Everything goes through the real web app (aiohttp test client): the person's WebSocket, the
peer console's WebSocket and a fake Rasa (tests/web/conftest.py) that has no crisis detector,
so every crisis reply checked here comes from the web app itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from core.crisis import CrisisSignal
from resources_db.national import crisis_lines
from tests.web.conftest import (
    PASSWORD,
    FakeRasa,
    frames_until,
    make_peer,
    next_frame,
    open_chat,
)
from tests.web.test_handoff import ask_for_peer, cid, claimed, open_console
from web import appkeys
from web.accounts import authenticate
from web.config import WebConfig

OVERDOSE = "I took too many pills and I can't breathe"
SUICIDE = "I want to kill myself tonight"


class ScriptedRasa(FakeRasa):
    """The conftest fake, plus replies scripted per message (as the real actions send them)."""

    script: dict[str, list[dict[str, Any]]]

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        scripted = self.script.get(body["message"])
        if scripted is None:
            return await FakeRasa.webhook(self, _Replay(body))  # type: ignore[arg-type]
        self.turns.append(body)
        return web.json_response(scripted)


class _Replay:
    """A request whose JSON body was already read."""

    def __init__(self, body: dict[str, Any]) -> None:
        self._body = body

    async def json(self) -> dict[str, Any]:
        return self._body


#: What actions/handoff.py sends: the request alone; the web app decides (nobody is online in
#: these tests unless a console is open) and words the answer.
REQUESTED_TURN = [
    {"custom": {"type": "handoff", "status": "requested",
                "summary": {"needs": [], "location": None, "insurance": None,
                            "notes": "Asked for a peer after a crisis reply (suicide)."}}},
]


@pytest.fixture
async def fake_rasa(aiohttp_server: Callable[..., Awaitable[TestServer]]) -> ScriptedRasa:
    rasa = ScriptedRasa()
    rasa.script = {}
    server = await aiohttp_server(rasa.app())
    rasa.url = str(server.make_url("")).rstrip("/")
    return rasa


def is_crisis(frame: dict[str, Any]) -> bool:
    custom = frame.get("custom") if frame.get("type") == "message" else None
    return bool(custom) and custom.get("type") == "crisis"


def queue_with(n: int) -> Callable[[dict[str, Any]], bool]:
    return lambda f: f["type"] == "queue" and len(f["items"]) == n


async def say(ws: Any, text: str, client_id: str) -> None:
    await ws.send_json({"type": "message", "client_id": client_id, "text": text})


async def unclaimed_after_crisis(
    client: TestClient, server: TestServer, config: WebConfig, crisis: str
) -> Any:
    """A person in line writes `crisis` (and gets the lines); then nobody claims them in
    time and the web app tells them so."""
    person, _ = await ask_for_peer(client, cid(1))
    await say(person, crisis, "c1")
    await frames_until(person, is_crisis)
    relay = server.app[appkeys.RELAY]
    relay.config = WebConfig(**{**config.__dict__, "handoff_timeout_seconds": 0})
    await relay.notify_overdue()
    return person


# --- crisis while waiting ------------------------------------------------------------------
async def test_crisis_while_waiting_gets_the_lines_at_once_and_jumps_the_queue(
    client: TestClient, web_config: WebConfig, fake_rasa: ScriptedRasa
):
    console = await open_console(client, web_config, make_peer(web_config))
    calm, _ = await ask_for_peer(client, cid(1))
    person, state = await ask_for_peer(client, cid(2))
    assert state["position"] == 2
    await frames_until(console, queue_with(2))
    turns = len(fake_rasa.turns)

    await say(person, OVERDOSE, "c1")
    frames = await frames_until(person, is_crisis)
    reply = frames[-1]
    assert reply["sender"] == "system"
    assert reply["custom"]["kind"] == "overdose"
    assert reply["custom"]["lines"] == crisis_lines("overdose")
    assert reply["custom"]["lines"][0]["phone"] == "911"  # 911 first for an overdose
    assert len(fake_rasa.turns) == turns  # nothing waited for the assistant

    moved = await frames_until(person, lambda f: f["type"] == "state")
    assert (moved[-1]["state"], moved[-1]["position"]) == ("waiting", 1)
    behind = await frames_until(calm, lambda f: f["type"] == "state" and f["position"] == 2)
    assert behind
    queue = (await frames_until(console, lambda f: f["type"] == "queue"
                                and f["items"][0]["conversation_id"] == cid(2)))[-1]
    first, second = queue["items"]
    assert (first["urgent"], first["crisis_kind"], first["position"]) == (True, "overdose", 1)
    assert (second["urgent"], second["crisis_kind"]) == (False, None)
    # the peer also sees what the person was told
    assert isinstance(first["waited_seconds"], int) and first["waited_seconds"] >= 0


async def test_crisis_while_waiting_with_nobody_online_says_so_and_offers_to_stay(
    client: TestClient, fake_rasa: ScriptedRasa
):
    fake_rasa.mode = "error"  # the web app queues on its own; nobody is online
    person, state = await ask_for_peer(client, cid(1))
    assert state["state"] == "waiting"
    await say(person, SUICIDE, "c1")
    reply = (await frames_until(person, is_crisis))[-1]
    assert reply["custom"]["kind"] == "suicide"
    assert reply["custom"]["lines"][0]["phone"] == "988"  # 988 first for suicide
    text = reply["text"]
    assert "No peer recovery specialist is online" in text
    assert "keep writing" in text
    assert "in the meantime" not in text and "services" not in text


# --- crisis while with a peer -------------------------------------------------------------
async def test_crisis_with_a_peer_gives_the_person_the_lines_and_alerts_the_peer(
    client: TestClient, web_config: WebConfig, fake_rasa: ScriptedRasa
):
    person, console = await claimed(client, web_config)
    turns = len(fake_rasa.turns)
    await say(person, SUICIDE, "c1")
    reply = (await frames_until(person, is_crisis))[-1]
    assert reply["custom"]["lines"] == crisis_lines("suicide")
    assert "Sam" in reply["text"]  # the person knows their peer sees it too
    seen = await frames_until(console, lambda f: f["type"] == "crisis")
    alert = seen[-1]
    assert (alert["conversation_id"], alert["kind"], alert["state"]) == (
        cid(1), "suicide", "with_peer")
    texts = [f.get("text") for f in seen if f["type"] == "message"]
    assert SUICIDE in texts  # the person's own words reached the peer first
    assert len(fake_rasa.turns) == turns  # still a person-to-person chat
    # a reload of the claiming peer's console still shows the banner (no other peer may
    # open it: tests/web/test_console_access.py)
    sam = authenticate(web_config.database_url, "sam", PASSWORD)
    assert sam is not None
    transcript = await open_console(client, web_config, sam)
    await transcript.send_json({"type": "open", "conversation_id": cid(1)})
    opened = await next_frame(transcript, "transcript")
    assert opened["crisis"]["kind"] == "suicide"


# --- crisis after the peer returned the chat ----------------------------------------------
async def test_crisis_after_return_gets_the_lines_and_tells_the_last_peer(
    client: TestClient, web_config: WebConfig, fake_rasa: ScriptedRasa
):
    person, console = await claimed(client, web_config)
    await console.send_json({"type": "return_to_bot", "conversation_id": cid(1)})
    await next_frame(console, "conversation_state")
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "bot")

    await say(person, OVERDOSE, "c1")
    frames = await frames_until(person, is_crisis)
    reply = frames[-1]
    assert reply["custom"]["kind"] == "overdose"
    assert {"title": "Talk to a peer", "payload": "/request_peer"} in reply["buttons"]
    assert fake_rasa.turns[-1]["message"] == OVERDOSE  # the assistant still answered too
    alert = await next_frame(console, "crisis")
    assert (alert["conversation_id"], alert["kind"], alert["state"]) == (
        cid(1), "overdose", "bot")

    # asking for a peer now puts them ahead of a calmer person who was waiting first
    calm, _ = await ask_for_peer(client, cid(2))
    await say(person, "/request_peer", "c2")
    state = (await frames_until(person, lambda f: f["type"] == "state"
                                and f["state"] == "waiting"))[-1]
    assert state["position"] == 1


async def test_crisis_after_the_person_ended_the_peer_chat_tells_that_peer(
    client: TestClient, web_config: WebConfig, fake_rasa: ScriptedRasa
):
    person, console = await claimed(client, web_config)
    await person.send_json({"type": "end"})
    await next_frame(console, "conversation_state")
    await say(person, SUICIDE, "c1")
    reply = (await frames_until(person, is_crisis))[-1]
    assert reply["custom"]["lines"][0]["phone"] == "988"
    alert = await next_frame(console, "crisis")
    assert (alert["kind"], alert["state"]) == ("suicide", "bot")


async def test_a_crisis_in_the_words_that_ask_for_a_peer_is_answered_in_line(
    client: TestClient, web_config: WebConfig, fake_rasa: ScriptedRasa
):
    asking = "I want to kill myself, get me a real person"
    fake_rasa.script[asking] = [{"custom": {"type": "handoff", "status": "requested",
                                            "summary": {"needs": []}}}]
    await open_console(client, web_config, make_peer(web_config))
    calm, _ = await ask_for_peer(client, cid(1))
    person = await open_chat(client, cid(2))
    await say(person, asking, "c1")
    reply = (await frames_until(person, is_crisis))[-1]
    assert reply["custom"]["kind"] == "suicide"
    assert "number 1 in line" in reply["text"]
    assert reply["buttons"] == []  # no second "Talk to a peer": they are already in line


async def test_the_bot_s_own_crisis_reply_is_not_repeated(
    client: TestClient, fake_rasa: ScriptedRasa
):
    fake_rasa.script[OVERDOSE] = [
        {"custom": {"type": "crisis", "kind": "overdose", "lines": crisis_lines("overdose")}},
        {"text": "This sounds like an overdose."},
    ]
    person = await open_chat(client, cid(1))
    await say(person, OVERDOSE, "c1")
    await frames_until(person, lambda f: f.get("text") == "This sounds like an overdose.")
    await say(person, "hello", "c2")
    frames = await frames_until(person, lambda f: f.get("text") == "echo: hello")
    assert not [f for f in frames if is_crisis(f)]


# --- urgent first --------------------------------------------------------------------------
async def test_urgent_first_ordering_with_three_waiting_people(
    client: TestClient, web_config: WebConfig, server: TestServer
):
    console = await open_console(client, web_config, make_peer(web_config))
    first, _ = await ask_for_peer(client, cid(1))
    second, _ = await ask_for_peer(client, cid(2))
    # the third person wrote about suicide before asking: they go first on arrival
    third = await open_chat(client, cid(3))
    await say(third, SUICIDE, "c1")
    await frames_until(third, is_crisis)
    await say(third, "/request_peer", "c2")
    state = (await frames_until(third, lambda f: f["type"] == "state"
                                and f["state"] == "waiting"))[-1]
    assert state["position"] == 1
    queue = (await frames_until(console, queue_with(3)))[-1]
    assert [i["conversation_id"] for i in queue["items"]] == [cid(3), cid(1), cid(2)]
    assert [i["position"] for i in queue["items"]] == [1, 2, 3]
    assert [i["urgent"] for i in queue["items"]] == [True, False, False]
    # the two calmer people are told their new places (the last state each got)
    for ws, place in ((first, 2), (second, 3)):
        states = await frames_until(
            ws, lambda f, place=place: f["type"] == "state" and f["position"] == place
        )
        assert states[-1]["state"] == "waiting"
    # and a restart keeps the order (it is in the database, not in memory)
    handoff = server.app[appkeys.HANDOFF]
    assert [e.conversation_id for e in handoff.waiting()] == [cid(3), cid(1), cid(2)]


# --- nobody online after a crisis ---------------------------------------------------------
@pytest.mark.parametrize(
    ("message", "kind", "first_phone"),
    [(SUICIDE, "suicide", "988"), (OVERDOSE, "overdose", "911"),
     ("he's beating me and I'm scared for my life", "danger", "911")],
)
async def test_no_peer_after_a_crisis_gets_warm_tappable_lines_not_service_hunting(
    client: TestClient, fake_rasa: ScriptedRasa, message: str, kind: str, first_phone: str
):
    fake_rasa.script["/request_peer"] = REQUESTED_TURN
    person = await open_chat(client, cid(1))
    await say(person, message, "c1")
    await frames_until(person, is_crisis)
    await say(person, "/request_peer", "c2")
    frames = await frames_until(person, lambda f: f["type"] == "state")
    shown = [f for f in frames if f["type"] == "message" and f["sender"] != "person"]
    texts = " ".join(f.get("text") or "" for f in shown)
    assert "in the meantime" not in texts
    assert "at any hour here" not in texts  # the crisis reply replaces a calm request's lines
    reply = [f for f in shown if is_crisis(f)][-1]
    assert reply["custom"]["kind"] == kind
    assert reply["custom"]["lines"] == crisis_lines(kind)
    assert reply["custom"]["lines"][0]["phone"] == first_phone
    assert "no peer recovery specialist is online" in reply["text"].lower()
    assert "keep writing" in reply["text"]
    assert {"title": "Wait here for a peer", "payload": "/wait_for_peer"} in reply["buttons"]
    # the first line is named in the words; the widget makes its number a tel: link
    assert reply["custom"]["lines"][0]["phone"] in reply["text"]
    assert frames[-1]["state"] == "bot"


async def test_no_peer_without_a_crisis_gets_the_calm_unavailable_words(
    client: TestClient, fake_rasa: ScriptedRasa
):
    fake_rasa.script["/request_peer"] = REQUESTED_TURN
    person = await open_chat(client, cid(1))
    await say(person, "/request_peer", "c1")
    frames = await frames_until(person, lambda f: "in the meantime" in (f.get("text") or ""))
    assert not [f for f in frames if is_crisis(f)]


async def test_an_unclaimed_urgent_wait_is_told_honestly_with_crisis_lines(
    client: TestClient, server: TestServer, web_config: WebConfig
):
    person = await unclaimed_after_crisis(client, server, web_config, SUICIDE)
    notice = (await frames_until(person, lambda f: is_crisis(f)
                                 and "No peer has been able to join yet" in f["text"]))[-1]
    assert notice["custom"]["lines"][0]["phone"] == "988"


# --- first person or bystander -------------------------------------------------------------
@pytest.mark.parametrize(
    ("subject", "expected", "absent"),
    [("self", "If you took too much", "Stay with them"),
     ("other", "Stay with them until help arrives", "If you took too much"),
     ("unknown", "If it's you", "If you took too much")],
)
async def test_overdose_wording_follows_who_is_in_danger(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, subject: str, expected: str,
    absent: str,
):
    signal = CrisisSignal("overdose", "took too many", "test", subject=subject)
    monkeypatch.setattr("web.relay_person.detect_crisis", lambda text: signal)
    person, _ = await ask_for_peer(client, cid(1))
    await say(person, "words the fake detector reads as an overdose", "c1")
    reply = (await frames_until(person, is_crisis))[-1]
    assert expected in reply["text"] and absent not in reply["text"]


# --- wording of the end button ------------------------------------------------------------
async def test_stop_waiting_does_not_claim_there_was_a_peer(client: TestClient):
    person, _ = await ask_for_peer(client, cid(1))
    await person.send_json({"type": "end"})
    notice = (await frames_until(person, lambda f: f.get("sender") == "system"
                                 and "stopped waiting" in (f.get("text") or "")))[-1]
    assert "ended the chat with the peer" not in notice["text"]


async def test_ending_a_real_peer_chat_still_says_so(client: TestClient, web_config: WebConfig):
    person, console = await claimed(client, web_config)
    await person.send_json({"type": "end"})
    notice = await next_frame(console, "message")
    assert notice["text"].startswith("You ended the chat with Sam")


# --- cards a peer sent are known to the assistant afterwards ------------------------------
async def test_cards_a_peer_sent_become_the_assistant_s_shown_resources(
    client: TestClient, web_config: WebConfig, fake_rasa: ScriptedRasa
):
    person, console = await claimed(client, web_config)
    card = {"id": "example-1", "name": "Example Detox Center", "phone": "410-555-0100",
            "address": "100 Example St", "city": "Baltimore", "state": "MD", "zip": "21201",
            "hours": "24/7", "capacity": {"available": 2}}
    await console.send_json({"type": "send", "conversation_id": cid(1), "cards": [card]})
    await frames_until(person, lambda f: f.get("sender") == "peer")
    await console.send_json({"type": "return_to_bot", "conversation_id": cid(1)})
    await next_frame(console, "conversation_state")
    events = [body for _, body, _ in fake_rasa.events]
    assert events[0] == {"event": "resume"}
    slot = events[1]
    assert (slot["event"], slot["name"]) == ("slot", "shown_resources")
    assert slot["value"] == [{
        "id": "example-1", "name": "Example Detox Center", "phone": "410-555-0100",
        "website": None, "address": "100 Example St", "city": "Baltimore", "state": "MD",
        "zip": "21201", "hours": "24/7", "open_now": None, "distance_miles": None,
    }]


async def test_a_return_without_cards_sets_no_slot(
    client: TestClient, web_config: WebConfig, fake_rasa: ScriptedRasa
):
    _, console = await claimed(client, web_config)
    await console.send_json({"type": "return_to_bot", "conversation_id": cid(1)})
    await next_frame(console, "conversation_state")
    await asyncio.sleep(0)
    assert [body for _, body, _ in fake_rasa.events] == [{"event": "resume"}]
