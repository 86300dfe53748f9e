"""The web app on a fictional directory, with an admin and a peer signed in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from tests.web.conftest import FakeRasa
from web.accounts import create_user, start_session
from web.config import WebConfig
from web.db import upgrade

ADMIN_PASSWORD = "example admin password"


@dataclass(frozen=True)
class Login:
    """A signed-in account's cookie and CSRF token."""

    cookie: str
    csrf: str

    def headers(self, csrf: bool = True) -> dict[str, str]:
        headers = {"Cookie": f"rn_session={self.cookie}"}
        if csrf:
            headers["X-CSRF-Token"] = self.csrf
        return headers


@pytest.fixture
def web_config(tmp_path: Path, fake_rasa: FakeRasa, directory_url: str) -> WebConfig:
    upgrade(directory_url)
    return WebConfig(
        database_url=directory_url,
        rasa_url=fake_rasa.url,
        rasa_token="example-token",
        secret_key="example-secret-key-for-tests-only-0000",
        rasa_timeout_seconds=0.5,
    )


def _login(config: WebConfig, username: str, role: str) -> Login:
    user = create_user(config.database_url, username, ADMIN_PASSWORD, role, username.title())
    session = start_session(config.database_url, user)
    return Login(session.token, session.csrf_token)


@pytest.fixture
def admin(web_config: WebConfig) -> Login:
    return _login(web_config, "example-admin", "admin")


@pytest.fixture
def peer(web_config: WebConfig) -> Login:
    return _login(web_config, "example-peer", "peer")


async def get_json(client: TestClient, path: str, login: Login) -> dict[str, object]:
    response = await client.get(path, headers=login.headers())
    assert response.status == 200, await response.text()
    body: dict[str, object] = await response.json()
    return body
