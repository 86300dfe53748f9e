"""Issue: production profile. Any Rasa replica can serve any message of any conversation, in
order, because trackers live in PostgreSQL and each conversation is locked in Redis."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from devstack.processes import Stack
from tests.production.conftest import get_json, post_json, rasa_replica
from web.rasa_client import RasaClient

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


def _say(stack: Stack, sender: str, text: str, timeout: float = 60) -> list[dict[str, Any]]:
    reply: list[dict[str, Any]] = post_json(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        {"sender": sender, "message": text},
        timeout=timeout,
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
        # stored through the redacting tracker store: the ZIP kept to ZIP3 (docs/privacy.md)
        assert _user_texts(_tracker(second, sender, token))[-1] == "212xx"
    finally:
        second.stop()


def _turns(tracker: dict[str, Any]) -> list[list[str]]:
    """The tracker's events split at each user message: [[user text, event, event, ...], ...]."""
    turns: list[list[str]] = []
    for event in tracker["events"]:
        if event["event"] == "user":
            turns.append([event.get("text", "")])
        elif turns and event["event"] in ("action", "bot"):
            turns[-1].append(event.get("name") or event["event"])
    return turns


@pytest.fixture(scope="module")
def two_replicas(
    production_env: dict[str, str], action_server: Stack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Stack]]:
    replicas = [
        rasa_replica(production_env, action_server, tmp_path_factory.mktemp(f"replica-{i}"))
        for i in (1, 2)
    ]
    try:
        for replica in replicas:
            replica.start(timeout=240)
        yield replicas
    finally:
        for replica in replicas:
            replica.stop()


def test_two_replicas_answer_one_conversation_in_order(
    production_env: dict[str, str], two_replicas: list[Stack]
) -> None:
    """A person's messages, each sent after the last reply, alternate between replicas."""
    token = production_env["RN_RASA_TOKEN"]
    sender = f"alternating-{uuid.uuid4().hex[:8]}"
    messages = [f"hello number {i}" for i in range(8)]
    for index, text in enumerate(messages):
        assert _say(two_replicas[index % 2], sender, text), f"no reply to {text!r}"
    for replica in two_replicas:
        assert _user_texts(_tracker(replica, sender, token)) == messages


def test_concurrent_messages_to_two_replicas_are_serialized(
    production_env: dict[str, str], two_replicas: list[Stack]
) -> None:
    """Messages of one conversation arriving at both replicas at once: the Redis lock lets
    one turn run at a time, so none is lost and no two turns interleave. (Which of two
    near-simultaneous messages goes first is decided by when each replica takes its lock
    ticket, not by when the request left the client.)"""
    token = production_env["RN_RASA_TOKEN"]
    sender = f"interleaved-{uuid.uuid4().hex[:8]}"
    messages = [f"hello number {i}" for i in range(8)]

    def send(index: int) -> list[dict[str, Any]]:
        time.sleep(index * 0.1)
        # waiting turns poll the lock once a second: the last one waits for all the others
        return _say(two_replicas[index % 2], sender, messages[index], timeout=180)

    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        replies = list(pool.map(send, range(len(messages))))

    assert all(replies), "a replica returned no reply"
    trackers = [_tracker(replica, sender, token) for replica in two_replicas]
    assert trackers[0]["events"] == trackers[1]["events"]
    turns = _turns(trackers[0])
    assert sorted(turn[0] for turn in turns) == sorted(messages)  # each exactly once
    for turn in turns:
        assert turn[-1] == "action_listen", f"turn {turn[0]!r} was interleaved: {turn}"


def test_the_web_app_moves_conversations_off_a_replica_that_stops(
    production_env: dict[str, str], two_replicas: list[Stack]
) -> None:
    """The web app's client (web/rasa_client.py) spreads conversations over both replicas;
    when one stops, its conversations continue on the other from their stored trackers.
    Runs last in this module: it stops the first replica. (The asyncio part runs in a thread
    of its own: this module may run after Playwright has taken the main thread's loop.)"""
    token = production_env["RN_RASA_TOKEN"]
    urls = [replica.rasa_url for replica in two_replicas]
    senders = [f"failover-{i}" for i in range(8)]

    async def converse() -> dict[str, str]:
        client = RasaClient(",".join(urls), token, timeout_seconds=120)
        try:
            for sender in senders:
                assert await client.send(sender, "hi")
            homes = {sender: client.router.order(sender)[0] for sender in senders}
            await asyncio.to_thread(two_replicas[0].stop)
            for sender in senders:
                assert await client.send(sender, "I need detox"), f"{sender} got no reply"
            return homes
        finally:
            await client.close()

    with ThreadPoolExecutor(max_workers=1) as thread:
        homes = thread.submit(asyncio.run, converse()).result()
    assert set(homes.values()) == set(urls), "both replicas served conversations"
    for sender in senders:
        assert _user_texts(_tracker(two_replicas[1], sender, token)) == ["hi", "I need detox"]
