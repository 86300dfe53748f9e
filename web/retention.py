"""Retention: conversations untouched for RN_RETENTION_DAYS (default 30) are deleted.

Both copies go: the web app's rows (web_conversations, web_messages) and Rasa's tracker
events. A conversation waiting for a peer or with one is kept however old it is, and is
purged on a later run once the handoff ends. Runs daily inside the web app and on demand
with `python -m web purge`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from web.config import WebConfig
from web.store import ConversationStore
from web.tracker_events import purge_before

log = logging.getLogger(__name__)
PURGE_INTERVAL_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    web_conversations: int
    tracker_conversations: int


def purge(config: WebConfig, now: datetime | None = None) -> PurgeResult:
    """Delete every conversation older than the retention period (as of `now`)."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=config.retention_days)
    store = ConversationStore(config.database_url)
    keep = store.in_handoff()
    web_count = store.purge_before(cutoff)
    tracker_count = purge_before(config.tracker_database_url, cutoff, keep)
    return PurgeResult(cutoff, web_count, tracker_count)


async def purge_daily(config: WebConfig) -> None:
    """The web app's background job: purge at start-up, then once a day."""
    while True:
        try:
            result = await asyncio.to_thread(purge, config)
            log.info(
                "retention: deleted %d web and %d tracker conversations older than %s",
                result.web_conversations, result.tracker_conversations,
                result.cutoff.date().isoformat(),
            )
        except Exception:  # keep the schedule; one failed run must not stop the next
            log.exception("retention purge failed")
        await asyncio.sleep(PURGE_INTERVAL_SECONDS)
