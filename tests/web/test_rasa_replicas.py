"""Several Rasa replicas: conversations are spread across them, each stays on its own replica,
and when one replica goes away its conversations continue on another with nothing lost."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import replace

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from devstack.processes import free_port
from tests.clock import Clock
from tests.web.conftest import FakeRasa, frames_until, open_chat
from web.app import create_app
from web.config import WebConfig
from web.rasa_client import RasaClient, RasaUnavailable
from web.rasa_replicas import ReplicaRouter, parse_urls

URLS = ("http://rasa-1:5005", "http://rasa-2:5005", "http://rasa-3:5005")
KEYS = [f"conversation-{i}" for i in range(3000)]


def test_rasa_url_lists_one_or_several_replicas() -> None:
    assert parse_urls("http://127.0.0.1:5005/") == ("http://127.0.0.1:5005",)
    assert parse_urls(" http://rasa-1:5005, http://rasa-2:5005/ ,") == URLS[:2]
    with pytest.raises(ValueError):
        parse_urls(" , ")


def test_conversations_are_spread_evenly_and_each_keeps_its_replica() -> None:
    router = ReplicaRouter(URLS)
    first = {key: router.order(key)[0] for key in KEYS}
    shares = Counter(first.values())
    assert set(shares) == set(URLS)
    assert all(800 <= count <= 1200 for count in shares.values()), shares
    assert all(ReplicaRouter(URLS).order(key)[0] == first[key] for key in KEYS[:200])


def test_a_failed_replica_moves_only_its_own_conversations_and_comes_back() -> None:
    clock = Clock(now=1000.0)
    router = ReplicaRouter(URLS, retry_after_seconds=5, clock=clock)
    before = {key: router.order(key)[0] for key in KEYS}
    router.mark_down(URLS[0])
    during = {key: router.order(key)[0] for key in KEYS}
    assert URLS[0] not in during.values()
    moved = {key for key in KEYS if before[key] != during[key]}
    assert moved == {key for key in KEYS if before[key] == URLS[0]}
    assert all(router.order(key)[-1] == URLS[0] for key in KEYS[:50]), "still tried, last"
    clock.now += 6
    assert {key: router.order(key)[0] for key in KEYS} == before


@pytest.fixture
async def replicas(aiohttp_server: Callable[..., Awaitable[TestServer]]) -> list[FakeRasa]:
    fakes = []
    for _ in range(2):
        fake = FakeRasa()
        server = await aiohttp_server(fake.app())
        fake.url = str(server.make_url("")).rstrip("/")
        fakes.append(fake)
    return fakes


def _senders(fake: FakeRasa) -> set[str]:
    return {turn["sender"] for turn in fake.turns}


async def test_client_spreads_conversations_and_keeps_each_on_one_replica(
    replicas: list[FakeRasa],
) -> None:
    client = RasaClient(",".join(fake.url for fake in replicas))
    try:
        for turn in range(3):
            for i in range(20):
                await client.send(f"spread-{i}", f"message {turn}")
    finally:
        await client.close()
    senders = [_senders(fake) for fake in replicas]
    assert senders[0] and senders[1], "both replicas serve some conversations"
    assert not senders[0] & senders[1], "a conversation stays on one replica"
    assert len(replicas[0].turns) + len(replicas[1].turns) == 60


async def test_client_moves_conversations_off_a_replica_that_went_away(
    replicas: list[FakeRasa],
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    client = RasaClient(",".join([dead, replicas[0].url]))
    try:
        replies = [await client.send(f"failover-{i}", "hello") for i in range(10)]
    finally:
        await client.close()
    assert all(reply and reply[0]["text"] == "echo: hello" for reply in replies)
    assert len(replicas[0].turns) == 10
    assert client.router.is_down(dead)


async def test_a_slow_reply_is_not_sent_again_to_another_replica(
    replicas: list[FakeRasa],
) -> None:
    """The slow replica may already have run the turn: repeating it elsewhere would answer
    the person twice, so the person gets the relay's kind fallback instead."""
    for fake in replicas:
        fake.delay = 1.0
    client = RasaClient(",".join(fake.url for fake in replicas), timeout_seconds=0.3)
    try:
        with pytest.raises(RasaUnavailable):
            await client.send("slow-1", "hello")
    finally:
        await client.close()
    assert len(replicas[0].turns) + len(replicas[1].turns) == 1


async def _dropping_server() -> tuple[str, asyncio.Server]:
    """A replica that died under load: it accepts connections and drops every request."""

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        writer.close()

    server = await asyncio.start_server(drop, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return f"http://127.0.0.1:{port}", server


async def test_a_replica_that_dies_under_a_request_hands_it_to_another(
    replicas: list[FakeRasa],
) -> None:
    dying, server = await _dropping_server()
    client = RasaClient(",".join([dying, replicas[0].url]))
    try:
        replies = [await client.send(f"dying-{i}", "hello") for i in range(10)]
    finally:
        await client.close()
        server.close()
    assert all(reply and reply[0]["text"] == "echo: hello" for reply in replies)
    assert len(replicas[0].turns) == 10


class DroppingRasa(FakeRasa):
    """Up (its root answers) but the connection breaks under every turn."""

    async def webhook(self, request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()
        return web.Response()


async def test_a_dropped_request_to_a_live_replica_is_not_repeated_elsewhere(
    replicas: list[FakeRasa], aiohttp_server: Callable[..., Awaitable[TestServer]]
) -> None:
    """The replica still answers, so it may have run the turn before the connection broke."""

    server = await aiohttp_server(DroppingRasa().app())
    flaky_url = str(server.make_url("")).rstrip("/")
    client = RasaClient(",".join([flaky_url, replicas[0].url]))
    senders = [f"flaky-{i}" for i in range(20)]
    try:
        homed_on_flaky = [s for s in senders if client.router.order(s)[0] == flaky_url]
        for sender in homed_on_flaky:
            with pytest.raises(RasaUnavailable):
                await client.send(sender, "hello")
    finally:
        await client.close()
    assert homed_on_flaky
    assert not {t["sender"] for t in replicas[0].turns} & set(homed_on_flaky)


async def test_all_replicas_unreachable_is_reported_as_unavailable() -> None:
    client = RasaClient(f"http://127.0.0.1:{free_port()},http://127.0.0.1:{free_port()}")
    try:
        with pytest.raises(RasaUnavailable, match="no replica reachable"):
            await client.send("nobody-home", "hello")
    finally:
        await client.close()


async def test_a_chat_continues_in_order_when_its_replica_goes_away(
    aiohttp_server: Callable[..., Awaitable[TestServer]],
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    web_config: WebConfig,
) -> None:
    fakes, servers = [], []
    for _ in range(2):
        fake = FakeRasa()
        server = await aiohttp_server(fake.app())
        fake.url = str(server.make_url("")).rstrip("/")
        fakes.append(fake)
        servers.append(server)
    config = replace(web_config, rasa_url=f"{fakes[0].url},{fakes[1].url}")
    client = await aiohttp_client(await aiohttp_server(create_app(config)))

    conversation = "replica-failover-0001"
    ws = await open_chat(client, conversation)
    await ws.send_json({"type": "message", "client_id": "c1", "text": "first"})
    await frames_until(ws, lambda f: f.get("text") == "echo: first")
    home = 0 if fakes[0].turns else 1
    await servers[home].close()

    for n in ("second", "third"):
        await ws.send_json({"type": "message", "client_id": n, "text": n})
        await frames_until(ws, lambda f, n=n: f.get("text") == f"echo: {n}")
    await ws.close()
    survivor = fakes[1 - home]
    assert [t["message"] for t in survivor.turns] == ["second", "third"]
    assert [t["message"] for t in fakes[home].turns] == ["first"]
