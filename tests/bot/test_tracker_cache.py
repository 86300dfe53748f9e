"""The bounds and the bookkeeping of the SQL tracker store's conversation cache.

The cache against a real database (two replicas, deletes, sessions): the Rasa-environment
check tests/bot/check_tracker_store_sqlite.py.
"""

from __future__ import annotations

import pytest

from bot.tracker_cache import Entry, Row, Stamp, TrackerCache, after_save, cache_entries
from tests.clock import Clock


def rows(*specs: tuple[int, str, float], size: int = 10) -> list[Row]:
    return [Row(i, kind, at, "x" * size) for i, kind, at in specs]


def entry(count: int = 2, size: int = 10) -> Entry:
    stored = rows(*[(i, "user", float(i)) for i in range(1, count + 1)], size=size)
    return Entry(Stamp(count, count, float(count)), stored, None)


def test_an_entry_is_used_only_with_the_stamp_it_was_recorded_with() -> None:
    cache = TrackerCache()
    cache.put("a", entry())
    assert cache.valid("a", Stamp(2, 2, 2.0)) is not None
    assert cache.valid("a", Stamp(3, 3, 3.0)) is None  # another replica wrote a turn
    assert cache.valid("a", Stamp(2, 2, 2.0)) is None  # and the stale entry is gone
    assert (cache.hits, cache.misses) == (1, 2)


def test_rows_written_again_with_the_same_ids_do_not_match() -> None:
    cache = TrackerCache()
    cache.put("a", entry())
    assert cache.valid("a", Stamp(2, 2, 9.5)) is None


def test_bounded_in_entries_least_recently_used_first() -> None:
    cache = TrackerCache(max_entries=2)
    for name in "abc":
        if name == "c":
            cache.valid("a", Stamp(2, 2, 2.0))  # "a" used: "b" is the oldest
        cache.put(name, entry())
    assert len(cache) == 2
    assert cache.valid("b", Stamp(2, 2, 2.0)) is None
    assert cache.valid("a", Stamp(2, 2, 2.0)) is not None


def test_bounded_in_bytes() -> None:
    cache = TrackerCache(max_bytes=100)
    cache.put("big", entry(size=101))
    assert len(cache) == 0
    for name in "abcdef":
        cache.put(name, entry(size=20))  # 40 bytes each
    assert cache.nbytes <= 100 and len(cache) == 2


def test_idle_entries_are_dropped() -> None:
    clock = Clock()
    cache = TrackerCache(max_idle=60, clock=clock)
    cache.put("a", entry())
    clock.now = 59
    assert cache.valid("a", Stamp(2, 2, 2.0)) is not None
    clock.now = 120
    assert cache.valid("a", Stamp(2, 2, 2.0)) is None
    assert cache.nbytes == 0


def test_after_save_appends_and_moves_the_stamp() -> None:
    saved = after_save(entry(), rows((7, "bot", 5.0), (8, "action", 4.0)))
    assert saved.stamp == Stamp(4, 8, 5.0)
    assert [row.id for row in saved.rows] == [1, 2, 7, 8]


def test_a_new_session_leaves_the_old_one_out() -> None:
    old = Entry(Stamp(3, 3, 3.0), rows((1, "session_started", 1.0), (2, "user", 2.0),
                                       (3, "bot", 3.0)), 1.0)
    saved = after_save(old, rows((4, "session_started", 10.0), (5, "user", 11.0)))
    assert [row.id for row in saved.rows] == [4, 5]
    assert saved.session_start == 10.0 and saved.stamp.rows == 5


@pytest.mark.parametrize(("value", "entries"), [("", 512), ("0", 0), ("64", 64)])
def test_size_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str,
                                   entries: int) -> None:
    monkeypatch.setenv("RN_TRACKER_CACHE_ENTRIES", value)
    assert cache_entries() == entries
