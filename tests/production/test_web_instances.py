"""Two web app instances on one PostgreSQL database and one Redis, as behind a load balancer
without sticky sessions: a person on one instance, a peer on the other. The claim, messages
both ways and the return to the bot all cross instances, and a person who reconnects to the
other instance resumes from their last seq without a lost or repeated message."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from resources_db.db import dispose_engine
from tests.production.conftest import REDIS_HOST, require_redis, throwaway_database
from tests.web import conftest as web_tests
from tests.web.conftest import FakeRasa, config_for_tests, frames_until, make_peer, next_frame
from tests.web.test_handoff import open_console
from web.app import create_app
from web.config import WebConfig

pytestmark = pytest.mark.postgres

CONVERSATION = "example-conversation-0042"


@pytest.fixture
def web_database() -> Iterator[str]:
    """A throwaway PostgreSQL database for the web app's tables."""
    with throwaway_database("rn_web_test_") as name:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        try:
            yield url
        finally:
            dispose_engine(url)


@pytest.fixture
async def rasa_stand_in(aiohttp_server: Callable[..., Awaitable[TestServer]]) -> FakeRasa:
    rasa = FakeRasa()
    rasa.url = str((await aiohttp_server(rasa.app())).make_url("")).rstrip("/")
    return rasa


@pytest.fixture
def shared_config(web_database: str, rasa_stand_in: FakeRasa) -> WebConfig:
    require_redis()
    return config_for_tests(
        web_database, web_database, rasa_stand_in.url, rasa_timeout_seconds=2,
        redis_url=os.environ.get("RN_TEST_REDIS_URL", f"redis://{REDIS_HOST}:6379/0"),
    )


@pytest.fixture
async def instances(
    aiohttp_server: Callable[..., Awaitable[TestServer]],
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    shared_config: WebConfig,
) -> AsyncIterator[tuple[TestClient, TestClient]]:
    first = await aiohttp_client(await aiohttp_server(create_app(shared_config)))
    second = await aiohttp_client(await aiohttp_server(create_app(shared_config)))
    yield first, second


def _messages(frames: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    return [(f["seq"], f["sender"], f["text"]) for f in frames if f["type"] == "message"]


async def test_person_and_peer_on_different_instances(
    instances: tuple[TestClient, TestClient], shared_config: WebConfig
) -> None:
    on_a, on_b = instances
    console = await open_console(on_b, shared_config, make_peer(shared_config))

    person = await web_tests.open_chat(on_a, CONVERSATION)
    await person.send_json({"type": "message", "client_id": "c1", "text": "/request_peer"})
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "waiting")
    # The queue change made on instance A reaches the console on instance B.
    queue = await frames_until(console, lambda f: f["type"] == "queue" and f["items"])
    assert [i["conversation_id"] for i in queue[-1]["items"]] == [CONVERSATION]

    await console.send_json({"type": "claim", "conversation_id": CONVERSATION})
    await next_frame(console, "transcript")
    await frames_until(person, lambda f: f["type"] == "state" and f["state"] == "with_peer")

    await person.send_json({"type": "message", "client_id": "c2", "text": "are you there"})
    got = await frames_until(console, lambda f: f["type"] == "message")
    assert got[-1]["text"] == "are you there"
    await console.send_json({"type": "send", "conversation_id": CONVERSATION,
                             "text": "I'm here with you."})
    reply = await frames_until(person, lambda f: f.get("sender") == "peer")
    assert reply[-1]["text"] == "I'm here with you."
    last_seen = reply[-1]["seq"]

    # The person's phone drops; meanwhile the peer writes and hands back to the bot.
    await person.close()
    await console.send_json({"type": "send", "conversation_id": CONVERSATION,
                             "text": "Text me back when you can."})
    await console.send_json({"type": "return_to_bot", "conversation_id": CONVERSATION})
    await frames_until(console, lambda f: f["type"] == "conversation_state")

    # The person comes back through the load balancer to the other instance.
    resumed = await on_b.ws_connect("/ws", headers=web_tests.origin(on_b))
    await resumed.send_json({"type": "hello", "conversation_id": CONVERSATION,
                             "last_seq": last_seen})
    # the replay ends with the state frame that says where it resumed from (live frames may
    # arrive in between; the widget orders messages by seq)
    caught_up = await frames_until(resumed, lambda f: "resumed_from" in f)
    missed = _messages(caught_up)
    assert [text for _, _, text in missed][0] == "Text me back when you can."
    seqs = [seq for seq, _, _ in missed]
    assert seqs == sorted(set(seqs)) and seqs[0] == last_seen + 1, "no gap, no repeat"
    assert caught_up[-1]["state"] == "bot"

    # Back with the bot on instance B: Rasa answers there.
    await resumed.send_json({"type": "message", "client_id": "c3", "text": "thanks"})
    answer = await frames_until(resumed, lambda f: f.get("sender") == "bot")
    assert answer[-1]["text"] == "echo: thanks"
    await resumed.close()
    await console.close()


async def test_an_unclaimed_wait_is_reported_by_one_instance_only(
    instances: tuple[TestClient, TestClient],
) -> None:
    """Every instance watches the queue; the "no peer has been able to join yet" notice must
    still go once per wait, not once per instance."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from web import appkeys

    handoffs = [client.server.app[appkeys.RELAY].handoff for client in instances]
    for round_ in range(8):
        waiting = [f"example-conversation-9{round_}{n:02d}" for n in range(20)]
        for conversation_id in waiting:
            handoffs[0].queue(conversation_id, None)
        barrier = Barrier(len(handoffs))

        def overdue(handoff: Any, barrier: Barrier = barrier) -> list[str]:
            barrier.wait()
            return list(handoff.overdue(0))

        with ThreadPoolExecutor(len(handoffs)) as pool:
            reported = [cid for ids in pool.map(overdue, handoffs) for cid in ids]
        assert sorted(reported) == sorted(waiting), f"round {round_}"


async def test_each_console_gets_its_own_queue_across_instances(
    instances: tuple[TestClient, TestClient], shared_config: WebConfig
) -> None:
    """Ana speaks Spanish (console on B), Sam does not (console on A); a person who writes in
    Spanish waits through A. Ana's change of languages, made through A, reaches her console
    and everyone's queue on both instances."""
    from web.accounts import create_user, start_session

    on_a, on_b = instances
    ana = create_user(shared_config.database_url, "ana", "example password 0123", "peer",
                      "Ana", ["es"])
    ana_console = await open_console(on_b, shared_config, ana)
    sam_console = await open_console(on_a, shared_config, make_peer(shared_config))

    person = await web_tests.open_chat(on_a, CONVERSATION)
    await person.send_json({"type": "message", "client_id": "c1",
                            "text": "hola, necesito ayuda para mi hijo"})
    await frames_until(person, lambda f: f.get("sender") == "bot")
    await person.send_json({"type": "message", "client_id": "c2", "text": "/request_peer"})
    offered = await frames_until(ana_console, lambda f: f["type"] == "queue" and f["items"])
    assert offered[-1]["items"][0]["language_match"] is True
    queue = await next_frame(sam_console, "queue")
    assert queue["items"] == [], "offered to the peer who speaks Spanish first"

    session = start_session(shared_config.database_url, ana)
    answer = await on_a.post("/peer/api/languages", data={"csrf_token": session.csrf_token},
                             headers={"Cookie": f"rn_session={session.token}"})
    assert answer.status == 200
    assert (await next_frame(ana_console, "languages"))["languages"] == []
    shown = await frames_until(sam_console, lambda f: f["type"] == "queue" and f["items"])
    assert shown[-1]["items"][0]["conversation_id"] == CONVERSATION
    mine = await frames_until(ana_console, lambda f: f["type"] == "queue" and f["items"])
    assert mine[-1]["items"][0]["language_match"] is False
    for ws in (person, ana_console, sam_console):
        await ws.close()
