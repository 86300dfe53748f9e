"""The admin API's error middleware: refused edits get the contract's error body and status,
an unexpected failure gets the short `unavailable` body, never a stack trace."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from resources_db import editing
from tests.web.admin.conftest import Login
from web import tokens
from web.admin import operations
from web.admin.errors import PREFIX, api_errors

CONFLICT = editing.EditConflict("svc-1", 7)
CASES = [
    (editing.InvalidEdit({"name": "Enter a name.", "phone": "Enter a phone number."}), 400,
     {"code": "invalid", "message": "Some fields need fixing.", "field": "name",
      "fields": {"name": "Enter a name.", "phone": "Enter a phone number."}}),
    (editing.NotFound("svc-1"), 404,
     {"code": "not_found", "message": "There is no service with that id.", "field": None}),
    (CONFLICT, 409,
     {"code": "conflict", "message": str(CONFLICT), "field": None, "current_version": 7}),
    (tokens.TokenError("Give the token a name."), 400,
     {"code": "invalid", "message": "Give the token a name.", "field": None}),
]


def _raising(exc: Exception) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handler(request: web.Request) -> web.StreamResponse:
        raise exc

    return handler


@pytest.mark.parametrize(("exc", "status", "body"), CASES,
                         ids=["invalid", "not-found", "conflict", "token"])
async def test_a_refused_edit_is_the_contract_error(
    aiohttp_client: Callable[..., Awaitable[TestClient]], exc: Exception, status: int,
    body: dict[str, Any],
) -> None:
    app = web.Application(middlewares=[api_errors])
    app.router.add_get(PREFIX + "/thing", _raising(exc))
    client = await aiohttp_client(app)
    response = await client.get(PREFIX + "/thing")
    assert response.status == status
    assert await response.json() == {"error": body}


async def test_other_paths_are_left_to_the_app(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
) -> None:
    app = web.Application(middlewares=[api_errors])
    app.router.add_get("/admin/thing", _raising(editing.NotFound("svc-1")))
    client = await aiohttp_client(app)
    response = await client.get("/admin/thing")
    assert response.status == 500  # aiohttp's own answer: the pages handle their own errors
    assert response.content_type != "application/json"


async def test_an_unexpected_failure_is_a_short_json_error_without_a_trace(
    client: TestClient, admin: Login, monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*args: object) -> object:
        raise RuntimeError("database password in /srv/secret/settings.py")

    monkeypatch.setattr(operations, "read", broken)
    response = await client.get(PREFIX + "/services", headers=admin.headers())
    text = await response.text()
    assert response.status == 503
    assert await response.json() == {"error": {
        "code": "unavailable", "field": None,
        "message": "Something went wrong on our side. Please try again in a moment."}}
    assert "Traceback" not in text and "secret" not in text and "RuntimeError" not in text
