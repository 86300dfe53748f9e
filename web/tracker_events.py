"""Deleting conversations from Rasa's tracker store (table `events` of bot/tracker_store.py).

Rasa has no HTTP endpoint that forgets a conversation, so the web app deletes the rows
itself, in the database named by RN_TRACKER_DATABASE_URL. Rasa reads a tracker from the
store on every turn, so a deleted conversation is gone for Rasa too; the widget starts a new
conversation id after a delete, so the old id is never written again.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import make_url

from resources_db.db import get_engine

#: Only the columns the web app needs of Rasa's `SQLTrackerStore.SQLEvent`.
EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("timestamp", Float),
)


def _has_events(url: str) -> bool:
    """False until Rasa has created its table (e.g. Rasa has never run)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        return False  # do not create an empty SQLite file where Rasa has written nothing
    return inspect(get_engine(url)).has_table(EVENTS.name)


def delete_conversation(url: str, conversation_id: str) -> int:
    """Delete every event of one conversation; returns the number of rows removed."""
    if not _has_events(url):
        return 0
    with get_engine(url).begin() as conn:
        return conn.execute(delete(EVENTS).where(EVENTS.c.sender_id == conversation_id)).rowcount


def purge_before(url: str, cutoff: datetime, keep: Collection[str] = ()) -> int:
    """Delete conversations whose latest event is older than `cutoff`, except those in `keep`.

    Returns the number of conversations removed. Event timestamps are Unix seconds.
    """
    if not _has_events(url):
        return 0
    last_event = func.max(EVENTS.c.timestamp)
    stale = select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(
        last_event < cutoff.timestamp()
    )
    kept = set(keep)
    with get_engine(url).begin() as conn:
        senders = [s for s in conn.execute(stale).scalars() if s not in kept]
        for start in range(0, len(senders), 500):
            batch = senders[start:start + 500]
            conn.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(batch)))
    return len(senders)
