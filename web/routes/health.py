"""GET /healthz: 200 once the database and the Rasa server answer, else 503 naming what is down."""

from __future__ import annotations

import asyncio

from aiohttp import web

from web import appkeys
from web.db import ping
from web.rasa_client import RasaUnavailable

routes = web.RouteTableDef()


@routes.get("/healthz", name="health")
async def healthz(request: web.Request) -> web.Response:
    config = request.app[appkeys.CONFIG]
    checks = {"database": "ok", "rasa": "ok"}
    try:
        await asyncio.wait_for(asyncio.to_thread(ping, config.database_url), timeout=5)
    except Exception:
        checks["database"] = "down"
    try:
        await request.app[appkeys.RASA].ping()
    except RasaUnavailable:
        checks["rasa"] = "down"
    healthy = all(value == "ok" for value in checks.values())
    return web.json_response(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
