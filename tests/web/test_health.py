"""GET /healthz: 200 when the database and Rasa answer, 503 naming what is down."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.web.conftest import FakeRasa
from web.app import create_app
from web.config import WebConfig


async def test_healthy_when_both_answer(client: TestClient):
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok", "rasa": "ok"}


async def test_rasa_down_is_named(client: TestClient, fake_rasa: FakeRasa):
    fake_rasa.mode = "error"
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["rasa"] == "down"


async def test_database_down_is_named(aiohttp_client, web_config: WebConfig, tmp_path):
    config = WebConfig(
        **{**web_config.__dict__,
           "database_url": f"sqlite:///{tmp_path / 'missing-dir' / 'x' / 'no.sqlite3'}"}
    )
    (tmp_path / "missing-dir").write_text("a file where a folder should be")
    client = await aiohttp_client(create_app(config, migrate=False))
    response = await client.get("/healthz")
    body = await response.json()
    assert response.status == 503
    assert body["database"] == "down" and body["rasa"] == "ok"
