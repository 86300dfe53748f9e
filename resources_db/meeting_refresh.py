"""Refreshing the configured Meeting Guide feeds (`RN_MEETING_FEEDS`).

Each feed is fetched with a conditional GET (its last ETag / Last-Modified) and a timeout.
A 304 changes nothing. A good 200 is imported in one transaction (meetings that fail the
spec are reported and the others import); meetings that left the feed are deactivated, so
they are no longer searchable, and come back if they reappear. A failure (unreachable,
timeout, non-200, not JSON, not a list of meetings, every meeting rejected) keeps the last
good copy: nothing is written but the failure, which is also logged (the feed's URL and the
reason; feeds carry no personal data we read, and errors never quote meeting text).

Several web instances may run the schedule: a refresh first claims its feed with one
conditional UPDATE (free or expired claim, and due), so exactly one instance fetches it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from resources_db import search_index
from resources_db.db import session_scope, upgrade_database
from resources_db.feeds import MeetingFeed, feed_id
from resources_db.importers import fetch, meeting_guide
from resources_db.importers.registry import run_import
from resources_db.models import STATUS_ACTIVE, STATUS_INACTIVE, RecordSource, Service

log = logging.getLogger(__name__)
DEFAULT_REFRESH_HOURS = 24
#: a claim outlives the longest fetch and import; an instance that died frees it by then
CLAIM = dt.timedelta(minutes=30)
#: a feed whose last refresh failed is tried again this soon (if its interval is longer)
RETRY_FAILED = dt.timedelta(hours=1)


@dataclass(frozen=True)
class FeedOutcome:
    """What one refresh of one feed did (printed by the CLI, logged by the web app)."""

    url: str
    outcome: str  # "imported", "not modified", "failed", "skipped"
    detail: str = ""
    imported: int = 0
    deactivated: int = 0

    def text(self) -> str:
        extra = f" ({self.detail})" if self.detail else ""
        if self.outcome == "imported":
            return (
                f"{self.url}: {self.imported} meetings, {self.deactivated} no longer listed "
                f"and deactivated{extra}"
            )
        return f"{self.url}: {self.outcome}{extra}"


class FeedFailed(Exception):
    """The feed's answer cannot replace the last good copy (the message says why)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _ensure(session: Session, url: str) -> None:
    if session.get(MeetingFeed, feed_id(url)) is not None:
        return
    try:
        with session.begin_nested():
            session.add(MeetingFeed(id=feed_id(url), url=url, meetings=0, record_ids="[]"))
    except IntegrityError:  # another instance added it at the same moment
        pass


def _claim(
    url: str, database_url: str | None, now: dt.datetime, every: dt.timedelta | None
) -> bool:
    """Take the feed for this refresh (one atomic UPDATE); False: someone else has it or it
    is not due (`every`: last checked that long ago, a failed feed after RETRY_FAILED at
    most; None: due now)."""
    with session_scope(database_url) as session:
        _ensure(session, url)
        conditions = [
            MeetingFeed.id == feed_id(url),
            or_(MeetingFeed.claimed_until.is_(None), MeetingFeed.claimed_until < now),
        ]
        if every is not None:
            checked = MeetingFeed.last_checked_at
            retry = now - min(every, RETRY_FAILED)
            conditions.append(
                or_(
                    checked.is_(None),
                    checked <= now - every,
                    and_(MeetingFeed.last_outcome == "failed", checked <= retry),
                )
            )
        result: Any = session.execute(
            update(MeetingFeed).where(*conditions).values(claimed_until=now + CLAIM)
        )
        return bool(result.rowcount == 1)


def _rows(body: bytes) -> list[Any]:
    """The feed's meetings, or FeedFailed when the body is not a Meeting Guide feed."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedFailed(f"not valid JSON (position {getattr(error, 'pos', '?')})") from None
    if isinstance(data, dict) and isinstance(data.get("meetings"), list):
        data = data["meetings"]
    if not isinstance(data, list):
        raise FeedFailed("not a list of meetings")
    return data


def _service_ids(session: Session, record_ids: Iterable[str]) -> list[str]:
    ids = sorted(set(record_ids))
    found: list[str] = []
    for start in range(0, len(ids), 500):
        found += [
            service_id
            for (service_id,) in session.execute(
                select(RecordSource.service_id).where(
                    RecordSource.source == meeting_guide.SOURCE,
                    RecordSource.source_record_id.in_(ids[start : start + 500]),
                )
            )
            if service_id
        ]
    return found


def _set_status(session: Session, service_ids: Sequence[str], status: str, other: str) -> int:
    """Move these services from `other` to `status`; returns how many changed."""
    changed = 0
    for start in range(0, len(service_ids), 500):
        chunk = service_ids[start : start + 500]
        result: Any = session.execute(
            update(Service)
            .where(Service.id.in_(chunk), Service.status == other)
            .values(status=status, version=Service.version + 1)
        )
        changed += int(result.rowcount or 0)
    if service_ids:
        search_index.refresh_services(session, list(service_ids))
    return changed


def _listed_elsewhere(session: Session, url: str) -> set[str]:
    """Record ids the other feeds hold (a meeting that moved feeds stays active)."""
    held: set[str] = set()
    for (ids,) in session.execute(select(MeetingFeed.record_ids).where(MeetingFeed.url != url)):
        held.update(json.loads(ids or "[]"))
    return held


def _import(session: Session, feed: MeetingFeed, body: bytes) -> FeedOutcome:
    """Import a fetched copy in the session's transaction; FeedFailed if unusable."""
    rows = _rows(body)
    present = {rid for rid in map(meeting_guide.record_id, rows) if rid}
    with tempfile.TemporaryDirectory(prefix="rn-feed-") as folder:
        path = Path(folder) / "feed.json"
        path.write_bytes(json.dumps(rows).encode())
        summary = run_import(session, "meeting-guide", path)
    if rows and summary.imported == 0:
        raise FeedFailed(f"every meeting was rejected ({len(summary.errors)})")
    previous = set(json.loads(feed.record_ids or "[]"))
    gone = previous - present - _listed_elsewhere(session, feed.url)
    deactivated = _set_status(session, _service_ids(session, gone), STATUS_INACTIVE, STATUS_ACTIVE)
    kept = {
        rid
        for (rid,) in session.execute(
            select(RecordSource.source_record_id).where(RecordSource.source == meeting_guide.SOURCE)
        )
        if rid in present
    }
    _set_status(session, _service_ids(session, kept - previous), STATUS_ACTIVE, STATUS_INACTIVE)
    feed.record_ids = json.dumps(sorted(kept))
    feed.meetings = len(kept)
    detail = f"{len(summary.errors)} meetings rejected" if summary.errors else ""
    for error in summary.errors[:20]:
        log.warning(
            "meeting feed %s: line %s %s: %s", feed.url, error.line, error.field, error.reason
        )
    return FeedOutcome(feed.url, "imported", detail, summary.imported, deactivated)


def _record(
    database_url: str | None,
    url: str,
    now: dt.datetime,
    outcome: FeedOutcome,
) -> None:
    """Write the outcome of a refresh that changed no meeting (failure or 304); frees the
    claim."""
    with session_scope(database_url) as session:
        feed = session.get(MeetingFeed, feed_id(url))
        assert feed is not None
        feed.last_checked_at, feed.last_outcome, feed.claimed_until = now, outcome.outcome, None
        if outcome.outcome == "failed":
            feed.last_error, feed.last_error_at = outcome.detail, now
        else:
            feed.last_success_at, feed.last_error = now, None


def refresh_feed(
    url: str,
    database_url: str | None = None,
    *,
    every: dt.timedelta | None = None,
    timeout: float = fetch.TIMEOUT_SECONDS,
    now: dt.datetime | None = None,
) -> FeedOutcome:
    """Refresh one feed if it can be claimed (and, with `every`, is due)."""
    now = now or _now()
    if not _claim(url, database_url, now, every):
        return FeedOutcome(url, "skipped", "not due, or another instance is refreshing it")
    with session_scope(database_url) as session:
        feed = session.get(MeetingFeed, feed_id(url))
        assert feed is not None
        etag, modified = feed.etag, feed.last_modified
    try:
        answer = fetch.fetch_if_changed(url, etag=etag, last_modified=modified, timeout=timeout)
    except fetch.FetchError as error:
        return _failed(database_url, url, now, str(error))
    if answer.status == 304:
        outcome = FeedOutcome(url, "not modified")
        _record(database_url, url, now, outcome)
        log.info("meeting feed %s: not modified", url)
        return outcome
    try:
        with session_scope(database_url) as session:
            feed = session.get(MeetingFeed, feed_id(url))
            assert feed is not None
            outcome = _import(session, feed, answer.body)
            feed.etag, feed.last_modified = answer.etag, answer.last_modified
            feed.last_checked_at = feed.last_success_at = now
            feed.last_outcome, feed.claimed_until = "imported", None
            feed.last_error = outcome.detail or None
            feed.last_error_at = now if outcome.detail else feed.last_error_at
    except FeedFailed as error:
        return _failed(database_url, url, now, str(error))
    log.info("meeting feed %s: %s", url, outcome.text())
    return outcome


def _failed(database_url: str | None, url: str, now: dt.datetime, reason: str) -> FeedOutcome:
    outcome = FeedOutcome(url, "failed", reason)
    _record(database_url, url, now, outcome)
    log.warning("meeting feed %s failed, keeping its last good copy: %s", url, reason)
    return outcome


def refresh_feeds(
    urls: Sequence[str],
    database_url: str | None = None,
    *,
    every: dt.timedelta | None = None,
    now: dt.datetime | None = None,
    migrate: bool = True,
) -> list[FeedOutcome]:
    """Refresh each feed (`every`: only those not checked within that long; a failed one
    within an hour). One feed's failure never stops the others. `migrate`: bring the
    directory's tables up to date first."""
    if migrate:
        upgrade_database(database_url)
    now = now or _now()
    outcomes = []
    for url in urls:
        try:
            outcomes.append(refresh_feed(url, database_url, every=every, now=now))
        except Exception as error:  # a bug or a database error on one feed: log, go on
            log.exception("meeting feed %s: refresh failed", url)
            outcomes.append(FeedOutcome(url, "failed", error.__class__.__name__))
    return outcomes


def feed_states(database_url: str | None = None) -> list[MeetingFeed]:
    """Every known feed and its last refresh (for the CLI and admin pages)."""
    with session_scope(database_url) as session:
        feeds = list(session.scalars(select(MeetingFeed).order_by(MeetingFeed.url)))
        session.expunge_all()
        return feeds
