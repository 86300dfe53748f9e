"""The conversation cache of `RedactingSQLTrackerStore` against a real database, in Rasa 3.6.

Used by tests/bot/check_tracker_store_sqlite.py (SQLite, and PostgreSQL when one is named).
Two store objects on one database play two Rasa replicas; `delete` removes a conversation's
rows from outside Rasa, as the web app does. Every read through a cache is compared with
Rasa's own uncached read of the same database. The data are fictional.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import RedactingSQLTrackerStore

Store = RedactingSQLTrackerStore
Problems = list[str]


def _check(problems: Problems, ok: bool, what: str) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        problems.append(what)


def turn(text: str, reply: str, intent: str = "inform") -> list[Event]:
    return [UserUttered(text, {"name": intent, "confidence": 1.0}),
            ActionExecuted("search_form"), ActiveLoop("search_form"),
            SlotSet("requested_slot", "location"), ActionExecuted("utter_reply"),
            BotUttered(reply, {"buttons": [{"title": "Skip", "payload": "/skip"}]}),
            ActionExecuted("action_listen")]


def opening(timestamp: float | None = None) -> list[Event]:
    """What Rasa writes when a session starts."""
    at = timestamp if timestamp is not None else time.time()
    return [ActionExecuted("action_session_start", timestamp=at),
            SessionStarted(timestamp=at), ActionExecuted("action_listen", timestamp=at)]


def stamp(store: Store, sender_id: str) -> Any:
    with store.session_scope() as session:
        return store._stamp(session, sender_id)


def dump(tracker: DialogueStateTracker | None) -> list[dict[str, Any]] | None:
    return None if tracker is None else [event.as_dict() for event in tracker.events]


async def uncached(make_store: Callable[[], Store], sender_id: str
                   ) -> list[dict[str, Any]] | None:
    """Rasa's own read of the conversation (a store without the cache)."""
    store = make_store()
    store.cache = None
    return dump(await store.retrieve(sender_id))


async def extend(store: Store, sender_id: str, events: list[Event]) -> DialogueStateTracker:
    """One turn on `store`: read the conversation, add `events`, save it."""
    tracker = await store.retrieve(sender_id)
    if tracker is None:
        tracker = DialogueStateTracker.from_events(sender_id, [])
    for event in events:
        tracker.update(event)
    await store.save(tracker)
    return tracker


async def same_as_rasa(problems: Problems, store: Store, make_store: Callable[[], Store],
                       sender_id: str, what: str) -> list[dict[str, Any]] | None:
    read = dump(await store.retrieve(sender_id))
    _check(problems, read == await uncached(make_store, sender_id), what)
    return read


async def check_cache(make_store: Callable[[], Store], delete: Callable[[str], None],
                      problems: Problems, reuses_ids: bool) -> None:
    a, b = make_store(), make_store()  # two replicas
    _check(problems, a.cache is not None, "the cache is on by default")
    assert a.cache is not None and b.cache is not None
    await extend(a, "one", opening() + turn("hello there", "Hi!", "greet"))
    hits = a.cache.hits
    await same_as_rasa(problems, a, make_store, "one", "a saved conversation reads back "
                                                       "as Rasa reads it")
    _check(problems, a.cache.hits == hits + 1, "the read after a save is served from the cache")
    hits = a.cache.hits
    await a.retrieve("one")
    _check(problems, a.cache.hits == hits + 1, "a second read is served from the cache")

    await extend(b, "one", turn("i need detox in baltimore", "Looking..."))
    read = await same_as_rasa(problems, a, make_store, "one",
                              "a turn saved by another replica is read, not the cached copy")
    _check(problems, read is not None and "i need detox in baltimore" in str(read),
           "the other replica's message is in the conversation")
    tracker = await extend(a, "one", turn("medicaid", "Here is what I found"))
    await same_as_rasa(problems, b, make_store, "one",
                       "and the replica with the stale copy reads the next turn too")
    _check(problems, await uncached(make_store, "one") == dump(tracker),
           "each event is stored once, none missing, after saves by both replicas")

    delete("one")
    _check(problems, await a.retrieve("one") is None and await b.retrieve("one") is None,
           "a conversation deleted by the web app is gone for both replicas")

    await check_reused_ids(problems, a, b, make_store, delete, reuses_ids)
    await check_sessions(problems, a, make_store)
    await check_redaction(problems, a, make_store)
    await check_delete_mid_turn(problems, a, make_store, delete)


async def check_reused_ids(problems: Problems, a: Store, b: Store,
                           make_store: Callable[[], Store], delete: Callable[[str], None],
                           reuses_ids: bool) -> None:
    """The conversation written last is deleted and written again by another replica with
    as many rows: SQLite gives the new rows the deleted rows' ids."""
    first = await extend(a, "two", opening() + turn("hi", "Hi!", "greet"))
    await a.retrieve("two")
    stamp_before = stamp(a, "two")
    delete("two")
    time.sleep(0.01)
    await extend(b, "two", opening() + turn("hola", "¡Hola!", "greet"))
    stamp_after = stamp(a, "two")
    if reuses_ids:
        _check(problems, stamp_after.rows == stamp_before.rows
               and stamp_after.last_id == stamp_before.last_id,
               "(the new rows got the deleted rows' ids and count)")
    read = await same_as_rasa(problems, a, make_store, "two",
                              "a conversation deleted and written again is read again")
    _check(problems, read is not None and "hola" in str(read) and "'hi'" not in str(read)
           and len(read) == len(first.events), "with the new messages only")


async def check_sessions(problems: Problems, a: Store, make_store: Callable[[], Store]) -> None:
    """A new session: Rasa reads only the events from its start on; so does the cache."""
    start = time.time() - 3600
    await extend(a, "three", opening(start) + turn("hi", "Hi!", "greet"))
    await a.retrieve("three")
    await extend(a, "three", opening() + turn("i need a ride", "Looking..."))
    hits = a.cache.hits
    read = await same_as_rasa(problems, a, make_store, "three",
                              "after a new session, the cache reads the latest session only")
    _check(problems, read is not None and "'hi'" not in str(read) and a.cache is not None
           and a.cache.hits == hits + 1, "(the old session is out; read from the cache)")


async def check_redaction(problems: Problems, a: Store, make_store: Callable[[], Store]) -> None:
    await extend(a, "four", opening() + turn("call me at 410-555-0123", "OK"))
    read = await same_as_rasa(problems, a, make_store, "four",
                              "the cache holds the redacted events the database holds")
    _check(problems, read is not None and "555-0123" not in str(read),
           "(no phone number in the cached conversation)")


async def check_delete_mid_turn(problems: Problems, a: Store, make_store: Callable[[], Store],
                                delete: Callable[[str], None]) -> None:
    """Deleted between the read and the save of a turn: the save counts the stored rows as
    Rasa does (none) and writes the whole tracker, as without the cache."""
    await extend(a, "five", opening() + turn("hi", "Hi!", "greet"))
    tracker = await a.retrieve("five")
    assert tracker is not None
    delete("five")
    for event in turn("detox", "Looking..."):
        tracker.update(event)
    await a.save(tracker)
    read = await same_as_rasa(problems, a, make_store, "five",
                              "a delete in the middle of a turn is seen by the save")
    _check(problems, read == dump(tracker), "(the whole tracker is stored again, as Rasa does)")


@contextlib.contextmanager
def postgres_database(url: str) -> Iterator[tuple[dict[str, Any], Callable[[str], None]]]:
    """A throwaway database on the server of `url`: the store's settings and a delete."""
    import psycopg2
    from sqlalchemy.engine import make_url

    server = make_url(url)
    name = f"rn_tracker_cache_check_{os.getpid()}"
    login = {"host": server.host or "127.0.0.1", "port": server.port or 5432,
             "user": server.username or "postgres", "password": server.password or None}
    admin = psycopg2.connect(dbname="postgres", **login)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {name}")

    def delete(sender_id: str) -> None:
        connection = psycopg2.connect(dbname=name, **login)
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute("DELETE FROM events WHERE sender_id = %s", (sender_id,))
        finally:
            connection.close()

    settings = {"dialect": "postgresql", "host": login["host"], "port": login["port"],
                "db": name, "username": login["user"], "password": login["password"]}
    try:
        yield settings, delete
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
