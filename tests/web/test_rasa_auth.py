"""The web app proves itself to Rasa with a header, not a query parameter (issue 22, finding 12).

Rasa 3.6 accepts its API token as `?token=…` or, when started with `--jwt-secret` and
`--jwt-method`, as `Authorization: Bearer <JWT>` (rasa/server.py: requires_auth; checked against
a running Rasa: a JWT signed with the right secret → authenticated, a wrong one → 401). A query
parameter ends up in access logs and proxies' logs; the web app now sends a short-lived HS256 JWT
signed with `RN_RASA_TOKEN`, and devstack starts Rasa with that secret (devstack/rasa_entry.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer

from web.rasa_client import RasaClient


async def test_rasa_calls_carry_a_signed_header_and_no_token_in_the_url(
    aiohttp_server: Callable[..., Awaitable[TestServer]],
):
    seen: list[tuple[str, dict[str, str], str]] = []

    async def record(request: web.Request) -> web.Response:
        seen.append((request.path, dict(request.query), request.headers.get("Authorization", "")))
        if request.path.endswith("/parse"):
            return web.json_response({"text": "x", "entities": []})
        return web.json_response({"events": []})

    app = web.Application()
    app.router.add_post("/conversations/{cid}/tracker/events", record)
    app.router.add_post("/model/parse", record)
    server = await aiohttp_server(app)
    token = "example-rasa-token-0123456789-abcdef"
    rasa = RasaClient(str(server.make_url("")).rstrip("/"), token, 2.0)
    try:
        await rasa.resume("example-conversation-0001")
        await rasa.parse("detox near 21201")
    finally:
        await rasa.close()
    assert [path for path, _, _ in seen] == [
        "/conversations/example-conversation-0001/tracker/events", "/model/parse"]
    for _, query, header in seen:
        assert "token" not in query and token not in header
        scheme, _, value = header.partition(" ")
        assert scheme == "Bearer"
        claims: dict[str, Any] = jwt.decode(value, token, algorithms=["HS256"])
        assert claims["user"]["role"] == "admin" and claims["exp"] > claims["iat"]


async def test_no_token_sends_no_header(aiohttp_server: Callable[..., Awaitable[TestServer]]):
    headers: list[str | None] = []

    async def record(request: web.Request) -> web.Response:
        headers.append(request.headers.get("Authorization"))
        return web.json_response({"text": "x"})

    app = web.Application()
    app.router.add_post("/model/parse", record)
    server = await aiohttp_server(app)
    rasa = RasaClient(str(server.make_url("")).rstrip("/"), "", 2.0)
    try:
        await rasa.parse("hi")
    finally:
        await rasa.close()
    assert headers == [None]
