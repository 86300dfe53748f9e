"""Pending imports live in the web database, not in one process: an upload previewed through
one web instance is committed or cancelled through another that shares the database (issue
20, no sticky sessions), still only by the session that uploaded it, once, and not after
MAX_AGE_SECONDS. Runs on SQLite, and on PostgreSQL too when RN_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from resources_db.db import session_scope
from resources_db.models import Service
from tests.web.admin.conftest import Login, _login
from tests.web.admin.test_admin_api import SUD_CSV
from web.accounts import end_session
from web.admin import imports
from web.app import create_app
from web.config import WebConfig
from web.models import PendingImport

BASE = "/api/v1/admin"
NAME = "Example API Upload Recovery"

Instance = Callable[[], Awaitable[TestClient]]


@pytest.fixture
def instance(
    aiohttp_server: Callable[..., Awaitable[TestServer]],
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    web_config: WebConfig,
) -> Instance:
    """Starts one more web app instance on the same database, as a load balancer sees them."""

    async def start() -> TestClient:
        return await aiohttp_client(await aiohttp_server(create_app(web_config)))

    return start


async def _upload(client: TestClient, login: Login) -> str:
    upload = await client.post(f"{BASE}/imports?format=geoda-sud&filename=example.csv",
                               headers=login.headers(), data=SUD_CSV.encode())
    assert upload.status == 201, await upload.text()
    body = await upload.json()
    assert body["preview"]["created"] == 1
    return str(body["id"])


def _services_named(config: WebConfig, name: str) -> int:
    with session_scope(config.database_url) as session:
        return int(session.scalar(select(func.count()).where(Service.name == name)) or 0)


def _pending_rows(config: WebConfig) -> int:
    with session_scope(config.database_url) as session:
        return int(session.scalar(select(func.count()).select_from(PendingImport)) or 0)


async def test_preview_on_one_instance_commits_on_another(
    instance: Instance, admin: Login, web_config: WebConfig
) -> None:
    on_a, on_b = await instance(), await instance()
    import_id = await _upload(on_a, admin)
    assert _services_named(web_config, NAME) == 0, "the preview wrote"

    commit = await on_b.post(f"{BASE}/imports/{import_id}/commit", headers=admin.headers())
    assert commit.status == 200, await commit.text()
    assert (await commit.json())["committed"]["created"] == 1
    assert _services_named(web_config, NAME) == 1
    again = await on_a.post(f"{BASE}/imports/{import_id}/commit", headers=admin.headers())
    assert again.status == 404, "an upload commits once, whichever instance is asked"
    assert _pending_rows(web_config) == 0


async def test_a_page_preview_on_one_instance_is_cancelled_on_another(
    instance: Instance, admin: Login, web_config: WebConfig
) -> None:
    on_a, on_b = await instance(), await instance()
    html = await (await on_a.get("/admin/imports", headers=admin.headers(csrf=False))).text()
    csrf = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert csrf
    form = aiohttp.FormData()
    form.add_field("csrf_token", csrf.group(1))
    form.add_field("format", "geoda-sud")
    form.add_field("file", SUD_CSV.encode(), filename="example.csv", content_type="text/csv")
    page = await (await on_a.post("/admin/imports", headers=admin.headers(csrf=False),
                                  data=form)).text()
    found = re.search(r"/admin/imports/([\w-]+)/commit", page)
    assert found, page[:500]

    cancel = await on_b.post(f"/admin/imports/{found.group(1)}/cancel",
                             headers=admin.headers(csrf=False),
                             data={"csrf_token": csrf.group(1)}, allow_redirects=False)
    assert cancel.status == 303
    commit = await on_a.post(f"/admin/imports/{found.group(1)}/commit",
                             headers=admin.headers(csrf=False),
                             data={"csrf_token": csrf.group(1)})
    assert commit.status == 404
    assert _services_named(web_config, NAME) == 0


async def test_another_admin_session_cannot_use_the_upload(
    instance: Instance, admin: Login, web_config: WebConfig
) -> None:
    on_a, on_b = await instance(), await instance()
    import_id = await _upload(on_a, admin)
    other = _login(web_config, "example-second-admin", "admin")
    for response in (
        await on_b.post(f"{BASE}/imports/{import_id}/commit", headers=other.headers()),
        await on_b.delete(f"{BASE}/imports/{import_id}", headers=other.headers()),
    ):
        assert response.status == 404
    assert _pending_rows(web_config) == 1, "still there for the admin who uploaded it"
    assert _services_named(web_config, NAME) == 0


def test_signing_out_drops_the_sessions_uploads(admin: Login, web_config: WebConfig) -> None:
    imports.store(web_config.database_url, admin.cookie, "geoda-sud", "example.csv",
                  SUD_CSV.encode())
    end_session(web_config.database_url, admin.cookie)
    assert _pending_rows(web_config) == 0


def test_uploads_older_than_the_maximum_age_are_dropped(
    admin: Login, web_config: WebConfig
) -> None:
    url = web_config.database_url
    old = imports.store(url, admin.cookie, "geoda-sud", "example.csv", SUD_CSV.encode())
    late = datetime.now(UTC) + timedelta(seconds=imports.MAX_AGE_SECONDS + 60)
    assert imports.commit(url, old.id, admin.cookie, "user:example-admin", now=late) is None
    assert _services_named(web_config, NAME) == 0
    assert _pending_rows(web_config) == 0, "an expired upload found at commit is removed"

    imports.store(url, admin.cookie, "geoda-sud", "example.csv", SUD_CSV.encode())
    assert imports.expire(url, now=late) == 1
    assert _pending_rows(web_config) == 0


async def test_two_instances_committing_at_once_import_once(
    instance: Instance, admin: Login, web_config: WebConfig
) -> None:
    """On PostgreSQL the second commit waits on the row lock, then finds nothing to commit.
    (SQLite serialises writers differently: the loser gets a busy error, not a 404.)"""
    if web_config.database_url.startswith("sqlite"):
        pytest.skip("row locks: PostgreSQL only")
    on_a, on_b = await instance(), await instance()
    import_id = await _upload(on_a, admin)
    responses = await asyncio.gather(*(
        client.post(f"{BASE}/imports/{import_id}/commit", headers=admin.headers())
        for client in (on_a, on_b)))
    assert sorted(r.status for r in responses) == [200, 404]
    assert _services_named(web_config, NAME) == 1
