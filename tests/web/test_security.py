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
