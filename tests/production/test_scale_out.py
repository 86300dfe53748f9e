"""Issue: production profile. Any Rasa replica can serve any message of any conversation, in
order, because trackers live in PostgreSQL and each conversation is locked in Redis."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from devstack.processes import Stack
from tests.production.conftest import get_json, post_json, rasa_replica

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


def _say(stack: Stack, sender: str, text: str) -> list[dict[str, Any]]:
    reply: list[dict[str, Any]] = post_json(
        f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": text}
    )
    return reply


def _tracker(stack: Stack, sender: str, token: str) -> dict[str, Any]:
    tracker: dict[str, Any] = get_json(
        f"{stack.rasa_url}/conversations/{sender}/tracker?token={token}"
    )
    return tracker


def _user_texts(tracker: dict[str, Any]) -> list[str]:
    return [e.get("text", "") for e in tracker["events"] if e["event"] == "user"]


def test_a_conversation_survives_a_rasa_restart(
    production_env: dict[str, str], action_server: Stack, tmp_path: Path
) -> None:
    token = production_env["RN_RASA_TOKEN"]
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    first = rasa_replica(production_env, action_server, tmp_path / "first")
    first.start(timeout=240)
    try:
        assert _say(first, sender, "hi")
        assert _say(first, sender, "I need detox")
        before = _tracker(first, sender, token)
    finally:
        first.stop()

    second = rasa_replica(production_env, action_server, tmp_path / "second")
    second.start(timeout=240)
    try:
        after = _tracker(second, sender, token)
        assert _user_texts(after) == ["hi", "I need detox"]
        assert after["slots"] == before["slots"]
        assert after["active_loop"] == before["active_loop"]
        assert _say(second, sender, "21201"), "the restarted server did not answer"
        assert _user_texts(_tracker(second, sender, token))[-1] == "21201"
    finally:
        second.stop()


def test_two_replicas_keep_one_conversation_in_order(
    production_env: dict[str, str], action_server: Stack, tmp_path: Path
) -> None:
    token = production_env["RN_RASA_TOKEN"]
    replicas = [
        rasa_replica(production_env, action_server, tmp_path / f"replica-{i}") for i in (1, 2)
    ]
    for replica in replicas:
        replica.start(timeout=240)
    try:
        sender = f"interleaved-{uuid.uuid4().hex[:8]}"
        messages = [f"hello number {i}" for i in range(12)]

        def send(index: int) -> list[dict[str, Any]]:
            time.sleep(index * 0.15)  # arrive in order, while earlier turns still run
            return _say(replicas[index % 2], sender, messages[index])

        with ThreadPoolExecutor(max_workers=len(messages)) as pool:
            replies = list(pool.map(send, range(len(messages))))

        assert all(replies), "a replica returned no reply"
        for replica in replicas:
            assert _user_texts(_tracker(replica, sender, token)) == messages
    finally:
        for replica in replicas:
            replica.stop()
