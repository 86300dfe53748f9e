"""Rate limits per person, not per proxy (issue 22, finding 10).

Behind the recommended reverse proxy every request comes from the proxy's address, so limits
keyed on the socket address made everyone share one budget (ten erases by one person gave
everyone 429). The client address comes from `X-Forwarded-For` only when the request came
from a configured trusted proxy (`RN_TRUSTED_PROXIES`); otherwise the header is ignored, so a
client cannot pick a fresh address per request. Limits live in Redis when `RN_REDIS_URL` is set,
so replicas share them.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from ipaddress import ip_network

import pytest
import redis
from aiohttp.test_utils import TestClient

from tests.web.conftest import frames_until, next_frame, origin
from web.app import create_app
from web.config import ConfigError, WebConfig
from web.proxies import client_address

REDIS_URL = "redis://127.0.0.1:6379/15"
Maker = Callable[..., Awaitable[TestClient]]


def erase_path() -> str:
    return f"/api/v1/conversations/example-erase-{uuid.uuid4().hex[:12]}"


async def app_client(aiohttp_client: Maker, config: WebConfig, **changes: object) -> TestClient:
    return await aiohttp_client(create_app(WebConfig(**{**config.__dict__, **changes})))


def forwarded(client: TestClient, address: str) -> dict[str, str]:
    return {**origin(client), "X-Forwarded-For": address}


async def test_one_persons_erases_do_not_limit_everyone_behind_the_proxy(
    aiohttp_client: Maker, web_config: WebConfig
):
    client = await app_client(aiohttp_client, web_config, trusted_proxies=("127.0.0.1/32",))
    for _ in range(10):
        response = await client.delete(erase_path(), headers=forwarded(client, "203.0.113.10"))
        assert response.status == 204
    limited = await client.delete(erase_path(), headers=forwarded(client, "203.0.113.10"))
    assert limited.status == 429
    other = await client.delete(erase_path(), headers=forwarded(client, "203.0.113.20"))
    assert other.status == 204


async def test_forwarded_header_is_ignored_without_a_trusted_proxy(client: TestClient):
    for n in range(10):
        response = await client.delete(erase_path(), headers=forwarded(client, f"203.0.113.{n}"))
        assert response.status == 204
    fresh = await client.delete(erase_path(), headers=forwarded(client, "198.51.100.77"))
    assert fresh.status == 429  # a made-up header does not buy a fresh budget


async def test_chat_messages_are_limited_per_person_behind_the_proxy(
    aiohttp_client: Maker, web_config: WebConfig
):
    client = await app_client(aiohttp_client, web_config, trusted_proxies=("127.0.0.0/8",),
                              chat_rate_per_address="2/minute")

    async def chat(address: str, conversation: str, n: int) -> dict:
        ws = await client.ws_connect("/ws", headers=forwarded(client, address))
        await ws.send_json({"type": "hello", "conversation_id": conversation, "last_seq": 0})
        await next_frame(ws, "state")
        await ws.send_json({"type": "message", "client_id": f"m{n}", "text": "hello"})
        frames = await frames_until(
            ws, lambda f: f["type"] == "error" or f.get("sender") in ("bot", "system"))
        await ws.close()
        return frames[-1]

    for n in range(2):
        assert (await chat("203.0.113.10", f"example-limit-a-{n:06d}", n))["sender"] == "bot"
    assert (await chat("203.0.113.10", "example-limit-a-000009", 9))["code"] == "rate_limited"
    assert (await chat("203.0.113.20", "example-limit-b-000001", 1))["sender"] == "bot"


async def test_search_is_limited_per_address(aiohttp_client: Maker, web_config: WebConfig):
    client = await app_client(aiohttp_client, web_config, trusted_proxies=("127.0.0.1/32",),
                              search_rate_per_address="3/minute")
    for _ in range(3):
        response = await client.get("/api/v1/search?zip=21201",
                                    headers={"X-Forwarded-For": "203.0.113.10"})
        assert response.status != 429
    limited = await client.get("/api/v1/search?zip=21201",
                               headers={"X-Forwarded-For": "203.0.113.10"})
    assert limited.status == 429
    assert (await limited.json())["error"]["code"] == "rate_limited"
    other = await client.get("/api/v1/search?zip=21201",
                             headers={"X-Forwarded-For": "203.0.113.20"})
    assert other.status != 429


@pytest.fixture
def redis_db() -> redis.Redis:
    db = redis.Redis.from_url(REDIS_URL)
    try:
        db.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return db


async def test_replicas_share_limits_through_redis(
    aiohttp_client: Maker, web_config: WebConfig, redis_db: redis.Redis
):
    person = f"2001:db8::{uuid.uuid4().hex[:4]}"  # a fresh key in the shared store
    first = await app_client(aiohttp_client, web_config, trusted_proxies=("127.0.0.1/32",),
                             redis_url=REDIS_URL)
    second = await app_client(aiohttp_client, web_config, trusted_proxies=("127.0.0.1/32",),
                              redis_url=REDIS_URL)
    for n in range(10):
        replica = first if n % 2 else second
        response = await replica.delete(erase_path(), headers=forwarded(replica, person))
        assert response.status == 204
    for replica in (first, second):
        limited = await replica.delete(erase_path(), headers=forwarded(replica, person))
        assert limited.status == 429
    assert any(person.encode() in key for key in redis_db.keys("LIMITS*"))


def test_client_address_walks_the_trusted_proxies_from_the_right() -> None:
    trusted = (ip_network("10.0.0.0/8"), ip_network("127.0.0.1/32"))
    assert client_address("127.0.0.1", ["203.0.113.5"], trusted) == "203.0.113.5"
    # the client may write anything to the left; only what our proxies appended counts
    assert client_address("127.0.0.1", ["1.2.3.4, 203.0.113.5, 10.0.0.7"], trusted) == (
        "203.0.113.5"
    )
    assert client_address("198.51.100.1", ["203.0.113.5"], trusted) == "198.51.100.1"
    assert client_address("127.0.0.1", ["not-an-address"], trusted) == "127.0.0.1"
    assert client_address("127.0.0.1", [], trusted) == "127.0.0.1"


def test_trusted_proxies_and_redis_are_read_from_the_environment() -> None:
    config = WebConfig.from_env({"RN_TRUSTED_PROXIES": "10.0.0.0/8, 172.16.0.0/12",
                                 "RN_REDIS_URL": REDIS_URL,
                                 "RN_SEARCH_RATE_PER_ADDRESS": "30/minute"})
    assert config.trusted_proxies == ("10.0.0.0/8", "172.16.0.0/12")
    assert config.redis_url == REDIS_URL and config.search_rate_per_address == "30/minute"
    assert WebConfig.from_env({}).trusted_proxies == ()
    with pytest.raises(ConfigError, match="RN_TRUSTED_PROXIES"):
        WebConfig.from_env({"RN_TRUSTED_PROXIES": "everyone"})


def test_limits_fail_open_when_redis_is_down() -> None:
    from web.ratelimit import RateLimits

    limits = RateLimits({"delete": "1/minute"}, "redis://127.0.0.1:1/0")
    assert limits.hit("delete", "203.0.113.10") and limits.hit("delete", "203.0.113.10")
