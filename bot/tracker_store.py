"""Rasa's SQL tracker store, keeping only redacted events (docs/privacy.md).

Rasa Open Source stores every event of a conversation as it happened, including the raw text
of each message. This store writes each new event through `core.redaction.redact_event`
first, so the database never holds a phone number, email, street address, self-given name,
a ZIP finer than ZIP3 or coordinates finer than 0.1 degree.

The conversation still works: within a turn the assistant (and its crisis detector) uses
the tracker in memory, as typed; from the next turn on, Rasa reloads the redacted events,
whose slots (need, city label, coarse point, results page) are all a conversation needs.
The number of events is unchanged, which is how `SQLTrackerStore` finds the new ones.

A failing store is never silent. Rasa wraps every tracker store in a `FailSafeTrackerStore`
that logs a save error and keeps the conversation in memory instead (and treats a failed read as
a new conversation); the conversation was then never stored, nor purged or erased. Here the
wrapper re-raises for this store (`TrackerStoreFailed`), and the turn ends with no reply: the
web relay then tells the person kindly that the assistant can't answer right now, with the
helplines and the peer button (web/relay.py `_bot_failed`). What failed is logged by class.

Each conversation's stored rows are also kept in a bounded in-process cache
(bot/tracker_cache.py), checked against the database with one cheap query on every read and
save, so a conversation written by another replica or deleted by the web app is read again.

Configured in bot/endpoints.yml (SQLite under var/) and bot/endpoints.production.yml
(PostgreSQL) as `type: bot.tracker_store.RedactingSQLTrackerStore`.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

import sqlalchemy
import sqlalchemy.orm
import sqlalchemy.pool
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.tracker_cache import (
    Entry,
    Row,
    Stamp,
    TrackerCache,
    after_save,
    cache_entries,
    entry_from_rows,
)
from core.redaction import identifying_fragments, redact_event

logger = logging.getLogger(__name__)


class TrackerStoreFailed(RuntimeError):
    """The conversation could not be read or written; Rasa must not carry on without it."""


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose `save` writes redacted copies of the new events."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("dialect", "sqlite") == "sqlite" and not kwargs.get("host"):
            # SQLite does not create the folder of its file (var/ on a fresh checkout).
            Path(str(kwargs.get("db", "rasa.db"))).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # Rasa's engine opens and closes a connection for every read and write (NullPool),
            # three times a turn; keep one open per thread instead (SQLite's own rule).
            url = self.engine.url
            self.engine.dispose()
            self.engine = sqlalchemy.create_engine(
                url, poolclass=sqlalchemy.pool.SingletonThreadPool
            )
            sqlalchemy.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
            self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)
        entries = cache_entries()
        self.cache = TrackerCache(entries) if entries else None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session of a conversation, from the cache when the database's stamp
        says the cached rows are still all there is (else read as Rasa reads it)."""
        if self.cache is None:
            return await super().retrieve(sender_id)
        with self.session_scope() as session:
            stamp = self._stamp(session, sender_id)
            entry = self.cache.valid(sender_id, stamp)
            if entry is None and stamp.rows:
                # Read after the stamp: a write in between only makes the next check miss.
                entry = entry_from_rows(stamp, self._session_rows(session, sender_id))
                self.cache.put(sender_id, entry)
        if not self.domain or entry is None or not entry.rows:
            return None
        events = deserialise_events(json.loads(row.data) for row in entry.rows)
        return DialogueStateTracker.from_events(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Like `SQLTrackerStore.save`, with each new event redacted before it is written."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            entry, stored = self._stored(session, tracker.sender_id)
            new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            fragments = identifying_fragments(
                e.text for e in new_events if isinstance(e, UserUttered) and e.text
            )
            rows = []
            for event in new_events:
                data = redact_event(event.as_dict(), fragments)
                rows.append(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=data.get("parse_data", {}).get("intent", {}).get(
                        INTENT_NAME_KEY
                    ),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            session.add_all(rows)
            session.flush()  # the database's ids, for the cache's stamp
            written = [Row(r.id, r.type_name, r.timestamp, r.data) for r in rows]
            session.commit()
        if self.cache is not None and entry is not None:
            self.cache.put(tracker.sender_id, after_save(entry, written))

    def _stamp(self, session: sqlalchemy.orm.Session, sender_id: str) -> Stamp:
        """Rows, largest id and latest timestamp of a conversation: one indexed query (as
        text: SQLAlchemy compiles it once, not an ORM query per call)."""
        rows, last_id, last_timestamp = session.execute(
            _STAMP_QUERY, {"sender_id": sender_id}).one()
        return Stamp(int(rows), last_id, last_timestamp)

    def _session_rows(self, session: sqlalchemy.orm.Session, sender_id: str) -> list[Row]:
        """The latest session's rows, by Rasa's own query."""
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        return [Row(e.id, e.type_name, e.timestamp, e.data) for e in query.all()]

    def _stored(self, session: sqlalchemy.orm.Session, sender_id: str
                ) -> tuple[Entry | None, int]:
        """The cache entry to update after this save (if any) and how many of the tracker's
        events are stored already (Rasa counts them with a query of its own)."""
        if self.cache is not None:
            stamp = self._stamp(session, sender_id)
            entry = self.cache.valid(sender_id, stamp)
            if entry is not None:
                return entry, len(entry.rows)
            if stamp.rows == 0:
                return Entry(stamp, [], None), 0
        count = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        return None, count.count()


_STAMP_QUERY = sqlalchemy.text(
    f"SELECT count(id), max(id), max(timestamp) FROM {SQLTrackerStore.SQLEvent.__tablename__} "
    "WHERE sender_id = :sender_id"
)

#: Event classes by type name, as `Event.resolve_by_type` finds them (filled on first use).
_EVENT_CLASSES: dict[str, type[Event]] = {}


def deserialise_events(dicts: Iterable[dict[str, Any]]) -> list[Event]:
    """`rasa.shared.core.events.deserialise_events`, with each event's class looked up once.

    Rasa's `Event.resolve_by_type` walks every subclass of `Event` for every event read:
    3.5 % of the server's samples (docs/benchmarks.md "Turn cost"). The class found for a
    name is the same every time once Rasa is imported; names it does not know (or maps to
    no class) still go through Rasa's own `Event.from_parameters`, errors included.
    """
    events = []
    for parameters in dicts:
        if "event" not in parameters:
            continue
        name = parameters["event"]
        cls = _EVENT_CLASSES.get(name) if isinstance(name, str) else None
        if cls is None and isinstance(name, str):
            try:
                found = Event.resolve_by_type(name)
            except ValueError:
                found = None
            if found is not None:
                cls = _EVENT_CLASSES.setdefault(name, found)
        event = cls._from_parameters(parameters) if cls is not None \
            else Event.from_parameters(parameters)
        if event:
            events.append(event)
        else:
            logger.warning("an event of the conversation could not be read; it is left out")
    return events


def _sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite: write-ahead log, synced to disk at checkpoints rather than at every commit.

    Rasa saves the tracker on the event loop, so the fsync of each commit (about 10 ms here,
    a third of a turn's extra cost over a bare bot; docs/benchmarks.md "Turn cost") held up
    every conversation. A crash of Rasa loses nothing; a power cut may lose the last turns,
    never the file's consistency. The production profile uses PostgreSQL and is unchanged.
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _refuse_fallback(error: Exception) -> None:
    raise TrackerStoreFailed(type(error).__name__) from error


def _fail_safe_init(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def init(self: FailSafeTrackerStore, tracker_store: TrackerStore,
             on_tracker_store_error: Callable[[Exception], None] | None = None,
             fallback_tracker_store: TrackerStore | None = None) -> None:
        if isinstance(tracker_store, RedactingSQLTrackerStore) and on_tracker_store_error is None:
            on_tracker_store_error = _refuse_fallback
        original(self, tracker_store, on_tracker_store_error, fallback_tracker_store)

    init.__rn_refuses_fallback__ = True  # type: ignore[attr-defined]
    return init


def _handle_message(
    original: Callable[[MessageProcessor, UserMessage], Awaitable[Any]],
) -> Callable[[MessageProcessor, UserMessage], Awaitable[Any]]:
    @functools.wraps(original)
    async def handle_message(self: MessageProcessor, message: UserMessage) -> Any:
        try:
            return await original(self, message)
        except TrackerStoreFailed as error:
            logger.error("the tracker store failed (%s); the turn is answered with nothing",
                         error)
            # Replies collected before the failure are not sent: the turn was not stored, and
            # an empty turn makes the web relay give its kind fallback with the lines.
            if isinstance(message.output_channel, CollectingOutputChannel):
                message.output_channel.messages.clear()
                return message.output_channel.messages
            return None

    return handle_message


def refuse_silent_fallback() -> None:
    """Make a failure of this store an error of the turn instead of Rasa's in-memory fallback
    (idempotent; done when this module is imported, which is how Rasa loads the store)."""
    if getattr(FailSafeTrackerStore.__init__, "__rn_refuses_fallback__", False):
        return
    FailSafeTrackerStore.__init__ = _fail_safe_init(FailSafeTrackerStore.__init__)  # type: ignore[method-assign]
    MessageProcessor.handle_message = _handle_message(MessageProcessor.handle_message)  # type: ignore[method-assign]


refuse_silent_fallback()
