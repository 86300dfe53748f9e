"""A bounded cache of recent conversations for the SQL tracker store (bot/tracker_store.py).

Rasa reads a conversation's whole latest session from the database at the start of every
turn and counts its stored events again before saving the turn (docs/benchmarks.md "Turn
cost"). This cache keeps, per conversation, the stored rows of that session exactly as they
are in the database (the redacted JSON text of each event, never what the person typed), so
a turn reads them from memory instead.

It is never trusted without asking the database. Every read and every save first runs one
cheap query, the conversation's `Stamp` (how many rows it has in every session, the largest
row id, the latest timestamp), and uses the cached rows only when the stamp is the one the
cache recorded. Another Rasa replica writing the conversation adds rows (the count and the
largest id change); the web app deleting it (erasure, retention: web/tracker_events.py)
removes rows (the count changes); rows deleted and written again get later timestamps. A
stale entry is then replaced by a full read, as without the cache.

Bounded in conversations, in bytes of JSON and in idle time (an erased conversation's
redacted rows do not stay in memory longer than `max_idle` seconds; the widget never
writes that conversation again). `RN_TRACKER_CACHE_ENTRIES=0` turns it off.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

#: Conversations kept unless RN_TRACKER_CACHE_ENTRIES says otherwise (0: no cache).
DEFAULT_ENTRIES = 512
#: JSON text kept in all, over every conversation (a results turn stores about 10-20 kB).
DEFAULT_MAX_BYTES = 16 * 2**20
#: A conversation untouched for this long is dropped (people answer within minutes).
DEFAULT_MAX_IDLE = 15 * 60.0

SESSION_STARTED = "session_started"


@dataclass(frozen=True)
class Stamp:
    """What one query tells about a conversation's rows in the database (every session)."""

    rows: int
    last_id: int | None
    last_timestamp: float | None


@dataclass(frozen=True)
class Row:
    """One stored event: the `events` table's id, type, timestamp and data (JSON text)."""

    id: int
    type_name: str
    timestamp: float | None
    data: str


@dataclass
class Entry:
    """The rows of a conversation's latest session, as Rasa's query returns them.

    `rows` are those with a timestamp at or after `session_start` (the latest
    `session_started` row's), in id order; all of them when no session was ever started.
    """

    stamp: Stamp
    rows: list[Row]
    session_start: float | None
    used: float = 0.0
    nbytes: int = field(init=False)

    def __post_init__(self) -> None:
        self.nbytes = sum(len(row.data) for row in self.rows)


def session_start(rows: Iterable[Row]) -> float | None:
    """The latest `session_started` timestamp among `rows` (None: no session started)."""
    starts = [row.timestamp for row in rows
              if row.type_name == SESSION_STARTED and row.timestamp is not None]
    return max(starts) if starts else None


def in_session(row: Row, start: float | None) -> bool:
    """Rasa's filter: `timestamp >= session_start`, NULL never matching, all rows if None."""
    return start is None or (row.timestamp is not None and row.timestamp >= start)


def entry_from_rows(stamp: Stamp, rows: list[Row]) -> Entry:
    """An entry from the rows Rasa's own query returned (read after `stamp` was taken)."""
    return Entry(stamp, list(rows), session_start(rows))


def after_save(entry: Entry, new_rows: list[Row]) -> Entry:
    """The entry once `new_rows` (just written, ids given by the database) are stored.

    A new `session_started` row moves the session's start: rows before it drop out, as they
    would from Rasa's query. The stamp is what the stamp query will return if nobody else
    wrote the conversation meanwhile; if somebody did, it differs and the next turn reads
    everything again.
    """
    if not new_rows:
        return entry
    ids = [row.id for row in new_rows]
    times = [row.timestamp for row in new_rows if row.timestamp is not None]
    if entry.stamp.last_timestamp is not None:
        times.append(entry.stamp.last_timestamp)
    stamp = Stamp(
        rows=entry.stamp.rows + len(new_rows),
        last_id=max([*ids, *([entry.stamp.last_id] if entry.stamp.last_id is not None else [])]),
        last_timestamp=max(times) if times else None,
    )
    start = entry.session_start
    newest = session_start(new_rows)
    if newest is not None:
        start = newest if start is None else max(start, newest)
    rows = [row for row in [*entry.rows, *new_rows] if in_session(row, start)]
    return Entry(stamp, rows, start)


class TrackerCache:
    """Entries by conversation id; the least recently used is dropped first."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES, max_bytes: int = DEFAULT_MAX_BYTES,
                 max_idle: float = DEFAULT_MAX_IDLE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_idle = max_idle
        self.clock = clock
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self.nbytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def valid(self, sender_id: str, stamp: Stamp) -> Entry | None:
        """The entry if the database's `stamp` is the one it was recorded with; a stale entry
        is dropped (counted as a miss either way)."""
        self._drop_idle()
        entry = self._entries.get(sender_id)
        if entry is not None and entry.stamp == stamp:
            entry.used = self.clock()
            self._entries.move_to_end(sender_id)
            self.hits += 1
            return entry
        if entry is not None:
            self.drop(sender_id)
        self.misses += 1
        return None

    def put(self, sender_id: str, entry: Entry) -> None:
        """Keep `entry`, then drop the oldest entries until within bounds."""
        self.drop(sender_id)
        if self.max_entries < 1 or entry.nbytes > self.max_bytes:
            return
        entry.used = self.clock()
        self._entries[sender_id] = entry
        self.nbytes += entry.nbytes
        while len(self._entries) > self.max_entries or self.nbytes > self.max_bytes:
            _, oldest = self._entries.popitem(last=False)
            self.nbytes -= oldest.nbytes

    def drop(self, sender_id: str) -> None:
        entry = self._entries.pop(sender_id, None)
        if entry is not None:
            self.nbytes -= entry.nbytes

    def _drop_idle(self) -> None:
        """Drop entries unused for `max_idle` seconds (the oldest come first)."""
        limit = self.clock() - self.max_idle
        while self._entries:
            sender_id, oldest = next(iter(self._entries.items()))
            if oldest.used > limit:
                return
            self.drop(sender_id)


def cache_entries() -> int:
    """The cache's size in conversations from RN_TRACKER_CACHE_ENTRIES (0 turns it off)."""
    value = os.environ.get("RN_TRACKER_CACHE_ENTRIES", "").strip()
    return max(0, int(value)) if value else DEFAULT_ENTRIES
