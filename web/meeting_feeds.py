"""The web app's background refresh of the Meeting Guide feeds (`RN_MEETING_FEEDS`).

Every instance wakes up regularly and refreshes the feeds not checked for
`RN_MEETING_REFRESH_HOURS`; each feed is claimed in the directory database first
(resources_db/meeting_refresh.py), so with several instances only one fetches it. The
fetch and import are blocking, so they run in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from resources_db.meeting_refresh import refresh_feeds
from web.config import WebConfig

log = logging.getLogger(__name__)
#: how often an instance looks for due feeds (at most; less when the interval is shorter)
CHECK_SECONDS = 15 * 60


def _refresh_due(config: WebConfig, migrate: bool) -> None:
    """One round (each outcome is logged by resources_db.meeting_refresh)."""
    every = dt.timedelta(hours=config.meeting_refresh_hours)
    refresh_feeds(config.meeting_feeds, config.database_url, every=every, migrate=migrate)


async def refresh_periodically(config: WebConfig, check_seconds: float = CHECK_SECONDS) -> None:
    """Refresh due feeds at start-up, then every `check_seconds` (the directory's tables
    are migrated until a round succeeds)."""
    migrated = False
    while True:
        try:
            await asyncio.to_thread(_refresh_due, config, not migrated)
            migrated = True
        except Exception:  # keep the schedule; one failed round must not stop the next
            log.exception("meeting feed refresh failed")
        await asyncio.sleep(min(check_seconds, config.meeting_refresh_hours * 3600))


def meeting_feeds_ctx(config: WebConfig) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context running the refresh while the app runs (nothing without feeds)."""

    async def run(app: web.Application) -> AsyncIterator[None]:
        if not config.meeting_feeds:
            yield
            return
        task = asyncio.create_task(refresh_periodically(config))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return run
