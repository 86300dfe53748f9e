"""Cross-site WebSocket hijacking: a signed-in peer's cookie travels with a WebSocket opened by
any site, so the console's socket must refuse every Origin but the app's own."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.web.conftest import make_peer, origin, peer_cookie
from web.config import WebConfig


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "https://evil.example"}, {"Origin": "null"},
     {"Origin": "http://127.0.0.1.evil.example"}],
)
async def test_peer_socket_refuses_other_origins_even_with_a_valid_session(
    client: TestClient, web_config: WebConfig, headers: dict[str, str]
):
    cookie = peer_cookie(web_config, make_peer(web_config))
    response = await client.get("/peer/ws", headers={**cookie, **headers})
    assert response.status == 403


async def test_peer_socket_opens_from_the_apps_own_origin(
    client: TestClient, web_config: WebConfig
):
    cookie = peer_cookie(web_config, make_peer(web_config))
    console = await client.ws_connect("/peer/ws", headers={**cookie, **origin(client)})
    hello = await console.receive_json(timeout=5)
    assert hello["type"] == "hello" and hello["name"] == "Sam"
    await console.close()
