"""The running app against its own OpenAPI document (schemathesis): for every operation,
generated requests from a signed-in admin never get a 5xx, and every answer's status and body
are ones the document declares. Examples are kept few so this runs in seconds."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, Phase, given, settings

from web.accounts import create_user, start_session
from web.app import create_app
from web.config import WebConfig
from web.db import upgrade
from web.openapi import document

EXAMPLES_PER_OPERATION = 8
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@dataclass
class LiveApp:
    base_url: str
    headers: dict[str, str]


@pytest.fixture
def live_app(directory_url: str) -> Iterator[LiveApp]:
    """The app on a real port in its own thread (schemathesis calls it synchronously)."""
    upgrade(directory_url)
    config = WebConfig(database_url=directory_url, rasa_url="http://127.0.0.1:9",
                       rasa_token="example-token",
                       secret_key="example-secret-key-for-tests-only-0000")
    user = create_user(directory_url, "schema-admin", "example password 3", "admin", "Admin")
    session = start_session(directory_url, user)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(create_app(config, migrate=False))
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield LiveApp(f"http://127.0.0.1:{port}",
                      {"Cookie": f"rn_session={session.token}",
                       "X-CSRF-Token": session.csrf_token})
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)


def test_document_is_valid_openapi() -> None:
    schema = schemathesis.openapi.from_dict(document())
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {f"{op.method.upper()} {op.path}" for op in operations}
    assert "GET /api/v1/search" in labels
    assert "PUT /api/v1/admin/services/{service_id}/capacity" in labels


def test_app_conforms_to_its_openapi_document(live_app: LiveApp) -> None:
    schema = schemathesis.openapi.from_dict(document())
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=live_app.base_url, headers=live_app.headers,
                                   checks=CHECKS, timeout=30)

        try:
            check()
        except Exception as error:  # collect every operation's failure, then report all
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
