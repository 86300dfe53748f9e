"""/metrics: Prometheus histograms and counters after a conversation, for the operator only."""

from __future__ import annotations

import dataclasses

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from prometheus_client.parser import text_string_to_metric_families

from devstack.processes import free_port
from tests.web.conftest import frames_until, open_chat
from web.app import create_app
from web.config import WebConfig


def _samples(text: str) -> dict[str, float]:
    return {
        sample.name + str(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def _metrics(client: TestClient) -> dict[str, float]:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.content_type == "text/plain"
    return _samples(await response.text())


async def test_a_conversation_shows_up_in_the_histograms(client: TestClient) -> None:
    before = await _metrics(client)
    ws = await open_chat(client, "example-conversation-0100")
    await ws.send_json({"type": "message", "client_id": "m1", "text": "hello"})
    await frames_until(ws, lambda f: f.get("sender") == "bot")
    await ws.send_json({"type": "message", "client_id": "m2", "text": "/request_peer"})
    await frames_until(ws, lambda f: f["type"] == "state" and f["state"] == "waiting")
    search = await client.get("/api/v1/search", params={"need": "detox", "near": "21201"})
    await search.read()
    after = await _metrics(client)

    turns = "rn_turn_seconds_count[]"
    assert after[turns] - before.get(turns, 0) == 2
    assert after["rn_search_seconds_count[]"] - before.get("rn_search_seconds_count[]", 0) == 1
    queued = "rn_handoffs_total[('status', 'queued')]"
    assert after[queued] - before.get(queued, 0) == 1
    assert after["rn_queue_length[]"] == 1
    assert "rn_queue_wait_seconds_bucket[('le', '60.0')]" in after


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded", "X-Real-IP"])
async def test_requests_through_a_proxy_do_not_see_metrics(client: TestClient, header: str):
    response = await client.get("/metrics", headers={header: "203.0.113.7"})
    assert response.status == 404


async def test_an_internal_port_serves_metrics_alone(aiohttp_server, web_config: WebConfig):
    port = free_port()
    config = dataclasses.replace(web_config, metrics_port=port)
    await aiohttp_server(create_app(config))
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
            assert response.status == 200
            assert "rn_turn_seconds_bucket" in await response.text()
        async with session.get(f"http://127.0.0.1:{port}/") as response:
            assert response.status == 404


async def test_a_peer_joining_records_the_wait(client: TestClient, web_config: WebConfig) -> None:
    from tests.web.test_handoff import claimed

    before = await _metrics(client)
    await claimed(client, web_config)
    after = await _metrics(client)
    waits = "rn_queue_wait_seconds_count[]"
    assert after[waits] - before.get(waits, 0) == 1
