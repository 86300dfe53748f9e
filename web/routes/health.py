"""GET /healthz: 200 when every dependency is fine, else 503 naming what is not (web/health.py).

Body: `{"status": "ok"|"unavailable", "database": "ok"|"read_only"|"down", "rasa": "ok"|"down"}`
plus `"actions": "ok"|"down"` when `RN_ACTION_URL` is set.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from web import appkeys
from web.health import check_actions, check_database, check_rasa

routes = web.RouteTableDef()


@routes.get("/healthz", name="health")
async def healthz(request: web.Request) -> web.Response:
    config = request.app[appkeys.CONFIG]
    names = ["database", "rasa"]
    checks = [check_database(config.database_url), check_rasa(request.app[appkeys.RASA])]
    if config.action_url:
        names.append("actions")
        checks.append(check_actions(config.action_url))
    results = dict(zip(names, await asyncio.gather(*checks), strict=True))
    healthy = all(value == "ok" for value in results.values())
    return web.json_response(
        {"status": "ok" if healthy else "unavailable", **results}, status=200 if healthy else 503
    )
