"""The admin API's error middleware: a refused edit becomes the contract's JSON error.

Handlers under /api/v1/admin/ raise instead of catching: `InvalidEdit` → 400 `invalid` with
`fields`, `NotFound` → 404 `not_found`, `EditConflict` → 409 `conflict` with
`current_version`, a bad token request (`TokenError`) → 400 `invalid`. Everything else passes
on to the app's `error_pages` (web/security.py): HTTP errors become the short JSON error and an
unexpected exception a 503 `unavailable`, never with a stack trace.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from resources_db import editing
from web import tokens

PREFIX = "/api/v1/admin"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error(status: int, code: str, message: str, **extra: Any) -> web.Response:
    """`{"error": {"code", "message", "field", …extra}}` with `status`."""
    body = {"error": {"code": code, "message": message, "field": extra.pop("field", None),
                      **extra}}
    return web.json_response(body, status=status)


def edit_error(exc: editing.EditError) -> web.Response:
    if isinstance(exc, editing.EditConflict):
        return error(409, "conflict", str(exc), current_version=exc.current_version)
    if isinstance(exc, editing.InvalidEdit):
        first = next(iter(exc.errors), None)
        return error(400, "invalid", "Some fields need fixing.", field=first, fields=exc.errors)
    return error(404, "not_found", "There is no service with that id.")


@web.middleware
async def api_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer an admin API request whose handler refused the edit with the contract's error."""
    if not request.path.startswith(PREFIX + "/"):
        return await handler(request)
    try:
        return await handler(request)
    except editing.EditError as exc:
        return edit_error(exc)
    except tokens.TokenError as exc:
        return error(400, "invalid", str(exc))
