"""The aiohttp application: wiring of config, database, relay, routes and middlewares."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from web import appkeys, metrics, openapi
from web.admin import api as admin_api
from web.admin import pages as admin_pages
from web.admin.errors import api_errors
from web.config import WebConfig
from web.consoles import ConsoleRegistry
from web.db import upgrade
from web.handoff import Handoff
from web.i18n import setup_templates
from web.meeting_feeds import meeting_feeds_ctx
from web.peer_hub import PeerHub
from web.proxies import client_address_middleware
from web.rasa_client import RasaClient
from web.ratelimit import RateLimits
from web.redis_hub import RedisHub
from web.relay import ChatRelay
from web.retention import purge_daily
from web.routes import auth, chat, health, peer, search_api
from web.security import error_pages, security_headers
from web.store import ConversationStore

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 64 * 1024
OVERDUE_CHECK_SECONDS = 5.0


def create_app(config: WebConfig | None = None, *, migrate: bool = True) -> web.Application:
    """Build the app. `migrate` runs the web migrations at start-up (idempotent)."""
    config = config or WebConfig.from_env()
    app = web.Application(
        client_max_size=MAX_BODY_BYTES,
        middlewares=[
            client_address_middleware(config.trusted_proxies),
            security_headers(config.production),
            error_pages,
            api_errors,
        ],
    )
    templates = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=jinja2.select_autoescape(default=True),
    )
    setup_templates(templates)
    store = ConversationStore(config.database_url)
    handoff = Handoff(config.database_url)
    hub = RedisHub(config.redis_url) if config.redis_url else PeerHub()
    rasa = RasaClient(config.rasa_url, config.rasa_token, config.rasa_timeout_seconds)
    limits = RateLimits(
        {
            "conversation": config.chat_rate_per_conversation,
            "address": config.chat_rate_per_address,
            "login": config.login_failures_allowed,
            "login_address": "30/15minutes",
            "delete": config.delete_rate_per_address,
            "search": config.search_rate_per_address,
        },
        config.redis_url,
    )
    app[appkeys.CONFIG] = config
    app[appkeys.STORE] = store
    app[appkeys.HANDOFF] = handoff
    app[appkeys.HUB] = hub
    app[appkeys.RASA] = rasa
    app[appkeys.LIMITS] = limits
    app[appkeys.RELAY] = ChatRelay(config, store, handoff, hub, rasa, limits)
    app[appkeys.CONSOLES] = ConsoleRegistry()

    for module in (chat, search_api, health, auth, peer):
        app.router.add_routes(module.routes)
    for admin_module in (admin_pages, admin_api, openapi):
        app.router.add_routes(admin_module.routes)
    app.router.add_get("/metrics", metrics.metrics_on_main_port, name="metrics")
    if config.metrics_port:
        app.cleanup_ctx.append(metrics.internal_listener(config.host, config.metrics_port))
    app.router.add_static("/static/", HERE / "static", name="static", append_version=True)

    if migrate:
        app.on_startup.append(_migrate)
    if isinstance(hub, RedisHub):
        app.cleanup_ctx.append(_shared_hub)
    app.cleanup_ctx.append(meeting_feeds_ctx(config))
    app.on_startup.append(_start_background)
    app.on_shutdown.append(_close_sockets)
    app.on_cleanup.append(_cleanup)
    return app


async def _migrate(app: web.Application) -> None:
    await asyncio.to_thread(upgrade, app[appkeys.CONFIG].database_url)


async def _shared_hub(app: web.Application) -> AsyncIterator[None]:
    """Live frames reach the other web instances while this one runs."""
    hub = app[appkeys.HUB]
    assert isinstance(hub, RedisHub)
    await hub.start()
    yield
    await hub.stop()


async def _start_background(app: web.Application) -> None:
    app[appkeys.BACKGROUND] = asyncio.create_task(_watch_queue(app))
    app[appkeys.RETENTION] = asyncio.create_task(purge_daily(app[appkeys.CONFIG]))


async def _watch_queue(app: web.Application) -> None:
    """Tell waiting people when nobody has claimed them within the configured time."""
    relay = app[appkeys.RELAY]
    while True:
        await asyncio.sleep(OVERDUE_CHECK_SECONDS)
        try:
            await relay.notify_overdue()
        except Exception:  # keep watching; one failed round must not stop the loop
            log.exception("queue watch failed")


async def _close_sockets(app: web.Application) -> None:
    await app[appkeys.HUB].close_all()


async def _cleanup(app: web.Application) -> None:
    for key in (appkeys.BACKGROUND, appkeys.RETENTION):
        task = app.get(key)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    await app[appkeys.RASA].close()
