"""Security headers, error pages without stack traces, body limits, production settings."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from web.config import ConfigError, WebConfig


async def test_pages_carry_the_security_headers(client: TestClient):
    for path in ("/", "/peer/login", "/healthz", "/static/chat.js", "/missing"):
        headers = (await client.get(path)).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in headers  # development


async def test_production_adds_hsts(aiohttp_client, web_config: WebConfig):
    from web.app import create_app

    config = WebConfig(**{**web_config.__dict__, "env": "production"})
    client = await aiohttp_client(create_app(config))
    response = await client.get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


async def test_chat_page_has_no_inline_script_or_style(client: TestClient):
    html = await (await client.get("/")).text()
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert "onclick" not in html


async def test_not_found_is_a_friendly_page(client: TestClient):
    response = await client.get("/nope")
    assert response.status == 404
    assert "find that page" in await response.text()
    api = await client.get("/api/v1/nope")
    assert (await api.json())["error"]["code"] == "not_found"


async def test_oversized_body_is_refused_kindly(client: TestClient):
    response = await client.post("/peer/login", data={"username": "x" * 200_000})
    assert response.status == 413
    assert "Traceback" not in await response.text()


async def test_unexpected_errors_never_show_a_stack_trace(client: TestClient, server):
    async def broken(request):
        raise RuntimeError("secret internals")

    server.app.router._frozen = False
    server.app.router.add_get("/broken", broken)
    response = await client.get("/broken")
    text = await response.text()
    assert response.status == 503
    assert "secret internals" not in text and "Traceback" not in text


@pytest.mark.parametrize(
    "env",
    [
        {"RN_ENV": "production"},
        {"RN_ENV": "production", "RN_SECRET_KEY": "change-me", "RN_RASA_TOKEN": "t" * 40},
        {"RN_ENV": "production", "RN_SECRET_KEY": "s" * 40},
        {"RN_ENV": "production", "RN_SECRET_KEY": "s" * 40, "RN_RASA_TOKEN": "t0ken"},
    ],
)
def test_production_refuses_missing_or_default_secrets(env: dict[str, str]):
    with pytest.raises(ConfigError):
        WebConfig.from_env(env)


def test_production_starts_with_real_secrets():
    config = WebConfig.from_env(
        {"RN_ENV": "production", "RN_SECRET_KEY": "s" * 40, "RN_RASA_TOKEN": "t" * 40}
    )
    assert config.production and config.secret_key == "s" * 40


def test_bad_port_is_a_clear_error():
    with pytest.raises(ConfigError, match="RN_WEB_PORT"):
        WebConfig.from_env({"RN_WEB_PORT": "eighty"})


# issue 22, finding 12 ------------------------------------------------------------------------
async def test_origin_check_does_not_trust_the_host_header(client: TestClient):
    """A request that names the attacker's site in both Host and Origin is not same-origin."""
    for path in ("/ws", "/api/v1/conversations/example-conversation-0001"):
        method = client.get if path == "/ws" else client.delete
        response = await method(path, headers={"Host": "evil.example",
                                               "Origin": "http://evil.example"})
        assert response.status == 403, path


async def test_configured_public_origin_is_the_only_one_accepted(
    aiohttp_client, web_config: WebConfig
):
    from web.app import create_app

    config = WebConfig(**{**web_config.__dict__, "public_origins": ("https://chat.example.org",)})
    client = await aiohttp_client(create_app(config))
    ws = await client.ws_connect("/ws", headers={"Origin": "https://chat.example.org"})
    await ws.close()
    local = await client.get("/ws", headers={"Origin": f"http://{client.host}:{client.port}"})
    assert local.status == 403
    forged = await client.get("/ws", headers={"Host": "evil.example",
                                              "Origin": "https://evil.example"})
    assert forged.status == 403


def test_public_origins_are_read_from_the_environment():
    config = WebConfig.from_env({"RN_PUBLIC_ORIGIN": "https://a.example.org, https://b.example.org/"})
    assert config.public_origins == ("https://a.example.org", "https://b.example.org")
    with pytest.raises(ConfigError, match="RN_PUBLIC_ORIGIN"):
        WebConfig.from_env({"RN_PUBLIC_ORIGIN": "chat.example.org"})


async def test_ids_with_a_trailing_newline_are_refused(client: TestClient):
    from tests.web.conftest import next_frame, origin

    ws = await client.ws_connect("/ws", headers=origin(client))
    await ws.send_json({"type": "hello", "conversation_id": "example-conversation-0001\n"})
    assert (await next_frame(ws))["code"] == "bad_conversation"
    await ws.send_json({"type": "hello", "conversation_id": "example-conversation-0001"})
    await next_frame(ws, "state")
    await ws.send_json({"type": "message", "client_id": "c1\n", "text": "hi"})
    assert (await next_frame(ws))["code"] == "bad_frame"
    response = await client.delete("/api/v1/conversations/example-conversation-0001%0A",
                                   headers=origin(client))
    assert response.status == 400


async def test_admin_and_console_pages_are_never_cached(client: TestClient, web_config: WebConfig):
    from tests.web.conftest import PASSWORD, peer_cookie
    from web.accounts import create_user

    admin = create_user(web_config.database_url, "ada", PASSWORD, "admin", "Ada")
    headers = peer_cookie(web_config, admin)
    for path in ("/admin", "/admin/audit", "/admin/audit.csv", "/admin/accounts",
                 "/api/v1/admin/audit", "/peer", "/peer/login"):
        response = await client.get(path, headers=headers, allow_redirects=False)
        assert response.status in (200, 302), path
        assert response.headers.get("Cache-Control") == "no-store", path
    assert "no-store" not in (await client.get("/")).headers.get("Cache-Control", "")
