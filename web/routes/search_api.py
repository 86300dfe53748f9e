"""GET /api/v1/search: the directory search of contract §3. Bad input is a 400, never a 500."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from web import appkeys
from web.metrics import ERRORS, SEARCH_SECONDS

routes = web.RouteTableDef()
log = logging.getLogger(__name__)


class BadSearch(Exception):
    """Carries the 400 body for a SearchError out of the worker thread."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body["error"]["message"])
        self.body = body


def run_search(params: Mapping[str, str], database_url: str) -> dict[str, Any]:
    """Validate and search (blocking; called in a worker thread)."""
    from resources_db.db import session_scope
    from resources_db.search import SearchError, parse_search_params, search

    try:
        query = parse_search_params(params)
        with session_scope(database_url) as session:
            return search(session, query)
    except SearchError as exc:
        raise BadSearch(search_error_body(exc)) from exc


def flatten(request: web.Request) -> dict[str, str]:
    """One value per parameter; a repeated `need` is joined with commas like the contract's."""
    params: dict[str, str] = {}
    for key in request.query:
        values = request.query.getall(key)
        params[key] = ",".join(values) if key == "need" else values[0]
    return params


def search_error_body(exc: Exception) -> dict[str, Any]:
    error: dict[str, Any] = {
        "code": getattr(exc, "code", "bad_request"),
        "message": getattr(exc, "message", str(exc)),
        "field": getattr(exc, "field", None),
    }
    candidates = getattr(exc, "candidates", None)
    if candidates:
        error["candidates"] = [getattr(c, "label", str(c)) for c in candidates]
    return {"error": error}


@routes.get("/api/v1/search", name="search_api")
async def search_endpoint(request: web.Request) -> web.Response:
    config = request.app[appkeys.CONFIG]
    if not request.app[appkeys.LIMITS].hit("search", request.remote or "unknown"):
        return web.json_response(
            {"error": {"code": "rate_limited",
                       "message": "Too many searches from here just now. Please wait a minute.",
                       "field": None}},
            status=429,
        )
    try:
        with SEARCH_SECONDS.time():
            body = await asyncio.to_thread(run_search, flatten(request), config.database_url)
    except BadSearch as exc:
        return web.json_response(exc.body, status=400)
    except Exception:
        log.exception("directory search failed")
        ERRORS.labels("search").inc()
        return web.json_response(
            {"error": {"code": "unavailable",
                       "message": "The directory is not answering right now. Please try again.",
                       "field": None}},
            status=503,
        )
    return web.json_response(body)
