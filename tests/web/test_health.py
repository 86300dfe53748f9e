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


# issue 22, finding 9: each dependency, with the database writable --------------------------
async def test_a_read_only_database_is_not_healthy(client: TestClient, web_config: WebConfig):
    """Reads still work (so a plain SELECT says ok), writes fail: PRAGMA query_only."""
    from sqlalchemy import event

    from resources_db.db import get_engine

    engine = get_engine(web_config.database_url)

    def read_only(dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA query_only = ON")

    event.listen(engine, "connect", read_only)
    engine.dispose()  # new connections only
    try:
        response = await client.get("/healthz")
        body = await response.json()
    finally:
        event.remove(engine, "connect", read_only)
        engine.dispose()
    assert response.status == 503
    assert body["database"] == "read_only" and body["rasa"] == "ok"


async def test_the_action_server_is_checked_when_configured(
    aiohttp_client, aiohttp_server, web_config: WebConfig
):
    from aiohttp import web

    actions = web.Application()
    state = {"up": True}

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"}, status=200 if state["up"] else 500)

    actions.router.add_get("/health", health)
    server = await aiohttp_server(actions)
    config = WebConfig(**{**web_config.__dict__,
                          "action_url": str(server.make_url("/webhook"))})
    client = await aiohttp_client(create_app(config))
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok", "rasa": "ok",
                                     "actions": "ok"}
    state["up"] = False
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["actions"] == "down"
    await server.close()
    response = await client.get("/healthz")
    assert response.status == 503 and (await response.json())["actions"] == "down"


def test_action_url_is_read_from_the_environment():
    assert WebConfig.from_env({}).action_url == ""
    assert WebConfig.from_env({"RN_ACTION_URL": "http://actions:5055/webhook"}).action_url == (
        "http://actions:5055/webhook"
    )
