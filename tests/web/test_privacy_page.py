"""The plain-language privacy page and the chat page's link to it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from aiohttp.test_utils import TestClient, TestServer

from web.app import create_app
from web.config import WebConfig


async def test_the_chat_pages_privacy_notice_links_to_the_privacy_page(client: TestClient) -> None:
    page = await (await client.get("/")).text()
    assert 'href="/privacy"' in page


async def test_the_privacy_page_says_what_is_kept_how_long_and_who_sees_it(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    aiohttp_server: Callable[..., Awaitable[TestServer]],
    web_config: WebConfig,
) -> None:
    config = replace(web_config, retention_days=14)
    client = await aiohttp_client(await aiohttp_server(create_app(config)))
    resp = await client.get("/privacy")
    assert resp.status == 200
    assert "Set-Cookie" not in resp.headers
    page = await resp.text()
    assert "deleted automatically 14 days after the last message" in page
    assert "peer recovery specialist who joins your chat" in page
    assert "[phone]" in page and "Delete this conversation" in page
