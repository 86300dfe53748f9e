"""Refreshing configured Meeting Guide feeds: conditional requests, last good copy kept on
failure, meetings that leave a feed deactivated, one refresher at a time, CLI and config.

The feed is the fictional tests/fixtures/meeting_guide/example_feed.json, served by a local
server whose answers each test controls (tests never reach the internet).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from resources_db.cli import main
from resources_db.db import session_scope
from resources_db.feeds import MeetingFeed, feed_id
from resources_db.meeting_refresh import CLAIM, refresh_feed, refresh_feeds
from resources_db.models import SearchEntry, Service
from web.config import ConfigError, WebConfig

FEED = Path(__file__).resolve().parent.parent / "fixtures" / "meeting_guide" / "example_feed.json"


@dataclass
class FeedServer:
    """What the local feed answers: `body` with `etag` (304 when the request has it),
    or `status` / a `delay` when set. `requests` keeps each request's conditional headers."""

    url: str = ""
    body: bytes = field(default_factory=FEED.read_bytes)
    etag: str = '"v1"'
    status: int = 200
    delay: float = 0.0
    requests: list[dict[str, str | None]] = field(default_factory=list)

    def meetings(self, keep: int | None = None) -> None:
        rows: list[Any] = json.loads(FEED.read_text())
        self.body = json.dumps(rows[:keep]).encode()
        self.etag = f'"v{len(self.requests) + 2}"'


@pytest.fixture
def feed() -> Iterator[FeedServer]:
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            state.requests.append(
                {
                    "If-None-Match": self.headers.get("If-None-Match"),
                    "If-Modified-Since": self.headers.get("If-Modified-Since"),
                }
            )
            time.sleep(state.delay)
            if state.status != 200:
                self.send_response(state.status)
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == state.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("ETag", state.etag)
            self.send_header("Last-Modified", "Sat, 05 Dec 2026 10:00:00 GMT")
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/meetings.json"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _statuses(url: str) -> dict[str, str]:
    with session_scope(url) as session:
        rows = session.execute(select(Service.name, Service.status))
        return {str(name): str(status) for name, status in rows}


def _searchable(url: str) -> int:
    with session_scope(url) as session:
        return len(list(session.scalars(select(SearchEntry.id))))


def _feed_row(url: str, feed_url: str) -> MeetingFeed:
    with session_scope(url) as session:
        row = session.get(MeetingFeed, feed_id(feed_url))
        assert row is not None
        session.expunge(row)
        return row


def test_a_feed_is_imported_then_asked_conditionally(
    empty_directory_url: str, feed: FeedServer
) -> None:
    first = refresh_feeds([feed.url], empty_directory_url)[0]
    assert (first.outcome, first.imported) == ("imported", 3)
    assert _searchable(empty_directory_url) == 3  # the online meeting too
    row = _feed_row(empty_directory_url, feed.url)
    assert (row.etag, row.meetings, row.last_error) == ('"v1"', 3, None)

    again = refresh_feeds([feed.url], empty_directory_url)[0]
    assert again.outcome == "not modified"
    assert feed.requests[-1]["If-None-Match"] == '"v1"'
    assert feed.requests[-1]["If-Modified-Since"] == "Sat, 05 Dec 2026 10:00:00 GMT"
    assert _searchable(empty_directory_url) == 3


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (500, b"", "HTTP 500"),
        (404, b"", "HTTP 404"),
        (200, b"{not json", "not valid JSON"),
        (200, b'{"error": "maintenance"}', "not a list of meetings"),
        (200, b'[{"name": "Example"}]', "every meeting was rejected"),
    ],
)
def test_a_failing_feed_keeps_its_last_good_copy(
    empty_directory_url: str, feed: FeedServer, status: int, body: bytes, reason: str
) -> None:
    refresh_feeds([feed.url], empty_directory_url)
    before = _feed_row(empty_directory_url, feed.url)
    feed.status, feed.body, feed.etag = status, body, '"broken"'

    outcome = refresh_feeds([feed.url], empty_directory_url)[0]

    assert outcome.outcome == "failed" and reason in outcome.detail
    assert set(_statuses(empty_directory_url).values()) == {"active"}
    assert _searchable(empty_directory_url) == 3
    row = _feed_row(empty_directory_url, feed.url)
    assert reason in (row.last_error or "")
    assert row.last_success_at == before.last_success_at and row.etag == '"v1"'
    assert row.claimed_until is None


def test_a_feed_that_does_not_answer_in_time_fails_cleanly(
    empty_directory_url: str, feed: FeedServer
) -> None:
    feed.delay = 1.0
    outcome = refresh_feed(feed.url, empty_directory_url, timeout=0.2)
    assert outcome.outcome == "failed" and "did not answer" in outcome.detail


def test_meetings_that_leave_the_feed_are_deactivated_and_come_back(
    empty_directory_url: str, feed: FeedServer
) -> None:
    refresh_feeds([feed.url], empty_directory_url)
    feed.meetings(keep=1)
    outcome = refresh_feeds([feed.url], empty_directory_url)[0]
    assert (outcome.outcome, outcome.deactivated) == ("imported", 2)
    assert _statuses(empty_directory_url) == {
        "Example Sunday Serenity": "active",
        "Example Early Birds": "inactive",
        "Example Women Online": "inactive",
    }
    assert _searchable(empty_directory_url) == 1

    feed.meetings(keep=None)
    refresh_feeds([feed.url], empty_directory_url)
    assert set(_statuses(empty_directory_url).values()) == {"active"}
    assert _searchable(empty_directory_url) == 3


def test_a_rejected_meeting_keeps_its_last_good_copy(
    empty_directory_url: str, feed: FeedServer
) -> None:
    refresh_feeds([feed.url], empty_directory_url)
    rows = json.loads(FEED.read_text())
    rows[1]["day"] = 9  # Example Early Birds breaks; the others still refresh
    feed.body, feed.etag = json.dumps(rows).encode(), '"v2"'
    outcome = refresh_feeds([feed.url], empty_directory_url)[0]
    assert outcome.outcome == "imported" and outcome.detail == "1 meetings rejected"
    assert set(_statuses(empty_directory_url).values()) == {"active"}
    assert "1 meetings rejected" in (_feed_row(empty_directory_url, feed.url).last_error or "")


def test_only_one_refresher_takes_a_feed_and_only_when_due(
    empty_directory_url: str, feed: FeedServer
) -> None:
    now = dt.datetime.now(dt.UTC)
    refresh_feeds([feed.url], empty_directory_url, now=now)
    every = dt.timedelta(hours=24)
    soon = now + dt.timedelta(hours=1)
    later = refresh_feeds([feed.url], empty_directory_url, every=every, now=soon)
    assert later[0].outcome == "skipped" and len(feed.requests) == 1

    with session_scope(empty_directory_url) as session:  # another instance is refreshing
        row = session.get(MeetingFeed, feed_id(feed.url))
        assert row is not None
        row.claimed_until = now + dt.timedelta(days=1, minutes=5)
    due = now + dt.timedelta(days=1)
    assert refresh_feeds([feed.url], empty_directory_url, every=every, now=due)[0].outcome == (
        "skipped"
    )
    assert len(feed.requests) == 1
    # a claim left by an instance that died expires
    expired = due + CLAIM
    assert refresh_feeds([feed.url], empty_directory_url, every=every, now=expired)[0].outcome == (
        "not modified"
    )


def test_cli_refreshes_the_configured_feeds(
    empty_directory_url: str,
    feed: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RN_MEETING_FEEDS", feed.url)
    assert main(["--database", empty_directory_url, "refresh-meetings", "--status"]) == 0
    out = capsys.readouterr().out
    assert "3 meetings, 0 no longer listed" in out and "last outcome imported" in out
    feed.status = 503
    assert main(["--database", empty_directory_url, "refresh-meetings"]) == 1
    assert "HTTP 503" in capsys.readouterr().out
    monkeypatch.delenv("RN_MEETING_FEEDS")
    assert main(["--database", empty_directory_url, "refresh-meetings"]) == 2


def test_web_config_reads_the_feeds_and_the_interval() -> None:
    config = WebConfig.from_env(
        {
            "RN_MEETING_FEEDS": "https://example.org/a.json, https://example.org/b.json "
            "https://example.org/a.json",
            "RN_MEETING_REFRESH_HOURS": "6",
        }
    )
    assert config.meeting_feeds == ("https://example.org/a.json", "https://example.org/b.json")
    assert config.meeting_refresh_hours == 6
    assert WebConfig.from_env({}).meeting_feeds == ()
    assert WebConfig.from_env({}).meeting_refresh_hours == 24
    with pytest.raises(ConfigError, match="RN_MEETING_FEEDS"):
        WebConfig.from_env({"RN_MEETING_FEEDS": "example.org/feed.json"})
    with pytest.raises(ConfigError, match="RN_MEETING_REFRESH_HOURS"):
        WebConfig.from_env({"RN_MEETING_REFRESH_HOURS": "0"})


def test_the_web_app_refreshes_the_configured_feeds_in_the_background(
    empty_directory_url: str, feed: FeedServer
) -> None:
    from aiohttp import web

    from web.meeting_feeds import meeting_feeds_ctx

    config = WebConfig(database_url=empty_directory_url, meeting_feeds=(feed.url,))

    async def run() -> None:
        context = meeting_feeds_ctx(config)(web.Application())
        await anext(context)
        for _ in range(200):  # the first refresh runs at start-up, in a thread
            if _searchable(empty_directory_url) == 3:
                break
            await asyncio.sleep(0.05)
        await anext(context, None)  # the app stops: the task is cancelled

    asyncio.run(run())
    assert _searchable(empty_directory_url) == 3
    assert _feed_row(empty_directory_url, feed.url).last_outcome == "imported"


def test_a_failed_feed_is_tried_again_within_the_hour(
    empty_directory_url: str, feed: FeedServer
) -> None:
    now = dt.datetime.now(dt.UTC)
    every = dt.timedelta(hours=24)
    feed.status = 502
    assert refresh_feeds([feed.url], empty_directory_url, every=every, now=now)[0].outcome == (
        "failed"
    )
    feed.status = 200
    soon = now + dt.timedelta(minutes=30)
    assert refresh_feeds([feed.url], empty_directory_url, every=every, now=soon)[0].outcome == (
        "skipped"
    )
    later = now + dt.timedelta(hours=1)
    assert refresh_feeds([feed.url], empty_directory_url, every=every, now=later)[0].outcome == (
        "imported"
    )


def test_a_refresh_works_from_a_thread_with_a_running_event_loop(
    empty_directory_url: str, feed: FeedServer
) -> None:
    """Called by synchronous code that runs inside an event loop (a test session with
    Playwright's loop, a callback in an async app): the fetch must not call asyncio.run()
    on the running loop (it failed as "asyncio.run() cannot be called from a running event
    loop" in the stack test run after the browser tests)."""

    async def inside_a_loop() -> str:
        return refresh_feeds([feed.url], empty_directory_url)[0].outcome

    assert asyncio.run(inside_a_loop()) == "imported"
