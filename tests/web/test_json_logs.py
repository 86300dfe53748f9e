"""RN_LOG_FORMAT=json (web/logs.py): every line is a JSON object, redacted, with the
conversation it belongs to as a hash, never its raw id, and never what the person typed."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from core.log_redaction import uninstall_log_redaction
from tests.web.conftest import FakeRasa, frames_until, open_chat
from tests.web.test_handoff import cid, claimed
from web import appkeys, logs
from web.__main__ import main
from web.config import WebConfig
from web.off_loop import off_loop
from web.rasa_client import RasaUnavailable

TYPED = "my number is 410-555-0142 and I need a detox bed tonight"
TYPED_PARTS = ("410-555-0142", "4105550142", "detox bed tonight")


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The process logging as the web app's does with RN_LOG_FORMAT=json, into a string;
    everything put back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    out = io.StringIO()
    logs.use_json_logs(logging.INFO, stream=out)
    try:
        yield out
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        logs.reset_for_tests()
        uninstall_log_redaction()


def _parsed(out: io.StringIO) -> list[dict[str, Any]]:
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]  # each line on its own is JSON


def _assert_private(out: io.StringIO, conversation_id: str) -> None:
    # aiohttp's access log is the test servers' (the fake Rasa's, and the app's test server):
    # the web app itself runs without one (web/__main__.py: access_log=None)
    text = "\n".join(json.dumps(line) for line in _parsed(out)
                     if line["logger"] != "aiohttp.access")
    assert conversation_id not in text
    for part in TYPED_PARTS:
        assert part not in text


async def test_a_chat_turn_logs_json_lines_with_the_conversation_hashed(
    client: TestClient, fake_rasa: FakeRasa, json_lines: io.StringIO
) -> None:
    conversation = "example-conversation-json-0001"
    fake_rasa.mode = "error"  # the relay logs the failed turn
    ws = await open_chat(client, conversation)
    await ws.send_json({"type": "message", "client_id": "m1", "text": TYPED})
    await frames_until(ws, lambda f: f.get("sender") == "system" or f["type"] == "error")
    await ws.close()

    lines = _parsed(json_lines)
    turn = [line for line in lines if "Rasa unavailable" in line["message"]]
    assert turn and turn[0]["conversation"] == logs.conversation_hash(conversation)
    assert set(turn[0]) == {"time", "level", "logger", "message", "conversation"}
    _assert_private(json_lines, conversation)


async def test_a_raw_id_in_a_logged_error_becomes_its_hash(
    client: TestClient, web_config: WebConfig, fake_rasa: FakeRasa, json_lines: io.StringIO
) -> None:
    """Rasa's tracker URL holds the conversation id: after a peer closed the chat, the
    person's next message resumes Rasa there, and the error quoting the URL is logged with the
    hash in the id's place."""
    person, console = await claimed(client, web_config)
    await console.send_json({"type": "close", "conversation_id": cid(1)})
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "closed")
    fake_rasa.mode = "error"
    await person.send_json({"type": "message", "client_id": "p9", "text": TYPED})
    await frames_until(person, lambda f: f.get("sender") == "system" or f["type"] == "error")
    await person.close()
    await console.close()

    hashed = logs.conversation_hash(cid(1))
    quoting = [line for line in _parsed(json_lines) if hashed in line["message"]]
    assert quoting, json_lines.getvalue()
    assert all(line["conversation"] == hashed for line in quoting)
    _assert_private(json_lines, cid(1))


async def test_a_peer_consoles_lines_carry_the_conversation_it_acts_on(
    client: TestClient, web_config: WebConfig, json_lines: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person, console = await claimed(client, web_config)
    card = {"id": "example-1", "name": "Example Detox Center", "phone": "410-555-0100"}
    await console.send_json({"type": "send", "conversation_id": cid(1), "cards": [card]})
    await frames_until(person, lambda f: f.get("sender") == "peer")

    async def slot_fails(conversation_id: str, name: str, value: Any) -> None:
        raise RasaUnavailable(f"Rasa answered 500 to /conversations/{conversation_id}/tracker")

    monkeypatch.setattr(client.server.app[appkeys.RASA], "set_slot", slot_fails)
    await console.send_json({"type": "return_to_bot", "conversation_id": cid(1)})
    await frames_until(console, lambda f: f["type"] == "conversation_state")
    await person.close()
    await console.close()

    [line] = [line for line in _parsed(json_lines) if "peer's cards" in line["message"]]
    assert line["conversation"] == logs.conversation_hash(cid(1))
    assert line["conversation"] in line["message"]
    _assert_private(json_lines, cid(1))


async def test_database_calls_off_the_loop_log_in_the_conversation(
    json_lines: io.StringIO,
) -> None:
    def logs_in_a_worker_thread() -> None:
        logging.getLogger("tests.json").warning("in the database thread")

    with logs.conversation_scope("example-conversation-json-0003"):
        await off_loop(5.0, logs_in_a_worker_thread)
    [line] = _parsed(json_lines)
    assert line["conversation"] == logs.conversation_hash("example-conversation-json-0003")


def test_a_line_inside_a_conversation_is_redacted_and_carries_only_fixed_fields(
    json_lines: io.StringIO,
) -> None:
    conversation = "example-conversation-json-0002"
    log = logging.getLogger("tests.json")
    with logs.conversation_scope(conversation):
        log.warning("turn for %s: %s", conversation, TYPED, extra={"typed": TYPED})
        try:
            raise RuntimeError(f"failed for {conversation}: {TYPED}")
        except RuntimeError:
            log.exception("it failed")
    log.warning("outside any conversation")

    first, failed, outside = _parsed(json_lines)
    hashed = logs.conversation_hash(conversation)
    assert first["conversation"] == failed["conversation"] == hashed
    assert hashed in first["message"] and "[phone]" in first["message"]
    assert "typed" not in first, "extra fields are not written"
    assert hashed in failed["exc_info"] and "RuntimeError" in failed["exc_info"]
    assert "conversation" not in outside
    # the redaction keeps words; only what identifies the person is taken out
    assert "detox bed tonight" in first["message"]


def test_the_hash_is_short_stable_and_not_the_id() -> None:
    hashed = logs.conversation_hash("example-conversation-0001")
    assert hashed == logs.conversation_hash("example-conversation-0001")
    assert len(hashed) == 16 and "example" not in hashed
    assert hashed != logs.conversation_hash("example-conversation-0002")


def test_plain_is_the_default_and_a_wrong_format_stops_the_app(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert logs.log_format({}) == "plain"
    assert logs.log_format({"RN_LOG_FORMAT": " JSON "}) == "json"
    monkeypatch.setenv("RN_LOG_FORMAT", "yaml")
    assert main(["migrate"]) == 2
    assert "RN_LOG_FORMAT" in capsys.readouterr().err


def test_plain_lines_are_redacted_and_hash_the_conversation_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The default format keeps the same privacy: redacted, the raw id replaced by its hash."""
    monkeypatch.setattr(logging, "basicConfig", lambda **kwargs: None)  # pytest owns the root
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    root = logging.getLogger()
    root.addHandler(handler)
    conversation = "example-conversation-plain-0001"
    try:
        assert logs.configure(logging.INFO, environ={}) == "plain"
        with logs.conversation_scope(conversation):
            logging.getLogger("tests.plain").warning("turn for %s: %s", conversation, TYPED)
    finally:
        root.removeHandler(handler)
        logs.reset_for_tests()
        uninstall_log_redaction()
    text = out.getvalue()
    assert logs.conversation_hash(conversation) in text and "[phone]" in text
    assert conversation not in text and "410-555-0142" not in text
