"""Peer sign-in: CSRF on every form, lockout after repeated failures, safe cookies."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient

from tests.web.conftest import PASSWORD, make_peer
from web.accounts import AccountError, create_user, reset_password
from web.config import WebConfig


async def login_token(client: TestClient) -> str:
    html = await (await client.get("/peer/login")).text()
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


async def sign_in(client: TestClient, username: str, password: str, token: str | None = None):
    token = token if token is not None else await login_token(client)
    return await client.post(
        "/peer/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )


async def test_sign_in_sets_a_safe_session_cookie(client: TestClient, web_config: WebConfig):
    make_peer(web_config)
    response = await sign_in(client, "sam", PASSWORD)
    assert response.status == 302 and response.headers["Location"] == "/peer"
    cookie = response.cookies["rn_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    console = await client.get("/peer")
    assert console.status == 200
    assert "Peer console · Sam" in await console.text()


async def test_sign_in_without_the_form_token_is_refused(
    client: TestClient, web_config: WebConfig
):
    make_peer(web_config)
    await login_token(client)
    response = await sign_in(client, "sam", PASSWORD, token="forged")
    assert response.status == 400
    assert "rn_session" not in response.cookies


async def test_wrong_password_then_lockout_even_for_the_right_one(
    client: TestClient, web_config: WebConfig
):
    make_peer(web_config)
    for _ in range(5):
        response = await sign_in(client, "sam", "not the password")
        assert response.status == 401
        assert "That username and password don" in await response.text()
    locked = await sign_in(client, "sam", PASSWORD)
    assert locked.status == 429
    assert "15 minutes" in await locked.text()
    assert "rn_session" not in locked.cookies


async def test_unknown_user_and_disabled_roles_cannot_sign_in(client: TestClient):
    response = await sign_in(client, "nobody", PASSWORD)
    assert response.status == 401


async def test_logout_needs_the_session_csrf_token(client: TestClient, web_config: WebConfig):
    make_peer(web_config)
    await sign_in(client, "sam", PASSWORD)
    html = await (await client.get("/peer")).text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    forged = await client.post("/peer/logout", data={"csrf_token": "x"}, allow_redirects=False)
    assert forged.status == 403
    assert (await client.get("/peer", allow_redirects=False)).status == 200
    out = await client.post(
        "/peer/logout", data={"csrf_token": token.group(1)}, allow_redirects=False
    )
    assert out.status == 302
    assert (await client.get("/peer", allow_redirects=False)).status == 302


# issue 22, finding 11 ------------------------------------------------------------------------
@pytest.mark.parametrize("weak", [" " * 12, "password1234", "qwertyuiop12", "sam-sam-sam-sam"])
async def test_weak_and_common_passwords_are_refused_with_a_clear_message(
    client: TestClient, web_config: WebConfig, weak: str
):
    with pytest.raises(AccountError, match=r"(?i)password.*(guess|common|stronger)") as caught:
        create_user(web_config.database_url, "sam", weak, "peer", "Sam")
    assert weak.strip() not in str(caught.value) or not weak.strip()  # never echoed back


async def test_a_reset_password_must_be_strong_too(client: TestClient, web_config: WebConfig):
    user = make_peer(web_config)
    with pytest.raises(AccountError, match="(?i)stronger"):
        reset_password(web_config.database_url, user.id, "password1234")
    assert reset_password(web_config.database_url, user.id, "a brand new example pw")


async def test_failures_from_one_address_do_not_lock_the_account_elsewhere(
    aiohttp_client, web_config: WebConfig
):
    from web.app import create_app

    config = WebConfig(**{**web_config.__dict__, "trusted_proxies": ("127.0.0.1/32",)})
    client = await aiohttp_client(create_app(config))
    make_peer(config)

    async def attempt(address: str, password: str):
        html = await (await client.get("/peer/login")).text()
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert token
        return await client.post(
            "/peer/login", headers={"X-Forwarded-For": address}, allow_redirects=False,
            data={"username": "sam", "password": password, "csrf_token": token.group(1)},
        )

    for _ in range(5):
        assert (await attempt("203.0.113.66", "not the password")).status == 401
    assert (await attempt("203.0.113.66", PASSWORD)).status == 429  # that address waits
    signed_in = await attempt("198.51.100.7", PASSWORD)  # the peer, from elsewhere
    assert signed_in.status == 302 and "rn_session" in signed_in.cookies
