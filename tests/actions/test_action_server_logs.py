"""RN_LOG_FORMAT=json on the action server (actions/server.py, web/logs.py): every line it
writes is JSON; the lines of an action run carry the conversation hashed, and neither the raw
conversation id nor what the person typed reaches any line, rasa-sdk's own traceback of a
failing action included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.actions import action_server
from web.logs import conversation_hash

CONVERSATION = "example-conversation-actions-0001"
TYPED = "my number is 410-555-0142, call me"


def _lines(log: Path) -> list[dict[str, Any]]:
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    assert lines, "the server logged nothing"
    return [json.loads(line) for line in lines]  # each line on its own is JSON


def test_an_action_runs_logs_json_with_the_conversation_hashed(tmp_path: Path) -> None:
    log = tmp_path / "actions.log"
    with action_server.running(log, RN_LOG_FORMAT="json") as url:
        assert action_server.call(url, "action_that_answers", CONVERSATION, TYPED) == 200
        assert action_server.call(url, "action_that_fails", CONVERSATION, TYPED) == 500
        assert action_server.call(url, "action_that_fails", "", "") == 500

    lines = _lines(log)
    hashed = conversation_hash(CONVERSATION)
    failed = [line for line in lines if line.get("conversation") == hashed]
    assert {line["logger"] for line in failed} >= {"actions.server", "rasa_sdk.endpoint"}
    traceback = next(line["exc_info"] for line in failed if "exc_info" in line)
    assert f"an example failure in {hashed}" in traceback and "[phone]" in traceback
    text = log.read_text()
    assert CONVERSATION not in text
    assert "410-555-0142" not in text and "4105550142" not in text
    # the next request, of no conversation, is tagged with none
    [*_, last_failure] = (line for line in lines if line["logger"] == "actions.server")
    assert "conversation" not in last_failure


def test_plain_text_stays_the_default(tmp_path: Path) -> None:
    log = tmp_path / "actions.log"
    with action_server.running(log) as url:
        assert action_server.call(url, "action_that_answers") == 200
    first = log.read_text().splitlines()[0]
    assert not first.startswith("{") and "Registered function" in first
