"""Check the SQLite settings and the cache of `RedactingSQLTrackerStore` inside real Rasa 3.6.

    .venv-rasa/bin/python tests/bot/check_tracker_store_sqlite.py

The store's SQLite file must be in write-ahead-log mode with `synchronous=NORMAL` on the
store's connections (no fsync per commit: docs/benchmarks.md "Turn cost"), one connection
is kept open per thread instead of one opened per read and write, and a tracker
saved by one store must be read back whole by another store and by plain sqlite3 (the web
app deletes old conversations from the same file).

The conversation cache (bot/tracker_cache.py) must read exactly what Rasa's own query reads,
and never a stale copy: with two stores on one database (two Rasa replicas), with rows
deleted by plain SQL as the web app deletes them (web/tracker_events.py), with SQLite
reusing the ids of deleted rows, with a new session, and with a delete in the middle of a
turn. The cache checks also run against PostgreSQL (the production profile's store) when
RN_TEST_POSTGRES_URL is set, as scripts/test.sh sets it when a server answers. Exits
non-zero on any failure. Not collected by pytest (it needs the Rasa environment).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from bot.tracker_store import RedactingSQLTrackerStore  # noqa: E402
from tests.bot import check_exit  # noqa: E402
from tests.bot.tracker_cache_checks import check_cache, postgres_database  # noqa: E402


async def run(path: Path, problems: list[str]) -> None:
    domain = Domain.empty()
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))
    tracker = DialogueStateTracker.from_events("check", [
        ActionExecuted("action_listen"), UserUttered("hello there", {"name": "greet"}),
        ActionExecuted("utter_greet"), ActionExecuted("action_listen"),
    ])
    await store.save(tracker)
    with store.engine.connect() as connection:
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    journal = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    _check(problems, journal == "wal", f"the file's journal mode is WAL (got {journal})")
    _check(problems, synchronous == 1, f"the store's connections use synchronous=NORMAL "
                                       f"(got {synchronous})")
    with store.engine.connect() as first, store.engine.connect() as second:
        same = first.connection.dbapi_connection is second.connection.dbapi_connection
    _check(problems, same, "reads and writes on one thread share one open connection")
    again = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))
    read = await again.retrieve("check")
    _check(problems, read is not None and len(read.events) == len(tracker.events),
           "another store reads the whole conversation back")
    rows = sqlite3.connect(path).execute(
        "select count(*) from events where sender_id = 'check'").fetchone()[0]
    _check(problems, rows == len(tracker.events), "plain sqlite3 sees every event")


def _check(problems: list[str], ok: bool, what: str) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        problems.append(what)


def sqlite_delete(path: Path) -> Callable[[str], None]:
    """Delete a conversation's rows the way web/tracker_events.py does, from outside Rasa."""
    def delete(sender_id: str) -> None:
        with sqlite3.connect(path) as connection:
            connection.execute("delete from events where sender_id = ?", (sender_id,))
    return delete


def main() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tracker-store-check-") as tmp:
        path = Path(tmp) / "var" / "trackers.sqlite3"
        asyncio.run(run(path, problems))
        print("-- conversation cache, SQLite")
        asyncio.run(check_cache(
            lambda: RedactingSQLTrackerStore(domain=Domain.empty(), dialect="sqlite",
                                             db=str(path)),
            sqlite_delete(path), problems, reuses_ids=True))
    url = os.environ.get("RN_TEST_POSTGRES_URL")
    if url:
        print("-- conversation cache, PostgreSQL")
        with postgres_database(url) as (settings, delete):
            asyncio.run(check_cache(
                lambda: RedactingSQLTrackerStore(domain=Domain.empty(), **settings),
                delete, problems, reuses_ids=False))
    else:
        print("skip the PostgreSQL cache checks (RN_TEST_POSTGRES_URL is not set)")
    return check_exit.exit_status(
        problems, f"{len(problems)} check(s) failed",
        "RedactingSQLTrackerStore keeps its SQLite file in WAL mode; its cache is never stale")


if __name__ == "__main__":
    sys.exit(main())
