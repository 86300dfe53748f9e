"""A bounded least-recently-used cache of the sentence encoder's features per message.

People send the same few messages over and over: "hi", "yes", "thanks", "more", the button
payloads. Encoding one with all-MiniLM-L6-v2 costs a forward pass (about 10 ms of CPU on the
2-core server); reading it back costs nothing. The cache is bounded both in entries and in
bytes, so it cannot grow with the number of conversations, and it hands out copies, so no
caller can change what another one reads.

Only the serving path (one message per call) uses it: the features of a message encoded
alone are exactly what the encoder returns for it alone.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, Protocol, TypeVar

T = TypeVar("T", bound="Array")


class Array(Protocol):
    """What the cache needs of a NumPy array (so this module runs without NumPy)."""

    @property
    def nbytes(self) -> int: ...

    def copy(self: T) -> T: ...


A = TypeVar("A", bound=Array)

#: Entries kept unless RN_ENCODER_CACHE_ENTRIES says otherwise (0: no cache).
DEFAULT_ENTRIES = 2048
#: Messages longer than this are not kept: they are rarely repeated and cost the most room.
MAX_TEXT_CHARS = 200


class FeatureCache(Generic[A]):
    """(sequence, sentence) feature arrays per key; least recently used dropped first."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES, max_bytes: int = 8 * 2**20) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[A, A]] = OrderedDict()
        self.nbytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[A, A] | None:
        """Copies of the stored arrays, or None (counted as a miss)."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0].copy(), entry[1].copy()

    def put(self, key: Hashable, sequence: A, sentence: A) -> None:
        """Keeps copies of the arrays, then drops the oldest entries until within bounds."""
        size = sequence.nbytes + sentence.nbytes
        if size > self.max_bytes or self.max_entries < 1:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.nbytes -= old[0].nbytes + old[1].nbytes
        self._entries[key] = (sequence.copy(), sentence.copy())
        self.nbytes += size
        while len(self._entries) > self.max_entries or self.nbytes > self.max_bytes:
            _, (seq, sen) = self._entries.popitem(last=False)
            self.nbytes -= seq.nbytes + sen.nbytes


Key = tuple[str, tuple[tuple[int, int], ...]]


def cache_key(text: str, spans: list[tuple[int, int]]) -> Key | None:
    """The key of a message: its text and its tokens' character spans; None if too long."""
    if len(text) > MAX_TEXT_CHARS:
        return None
    return text, tuple(spans)


def cache_entries() -> int:
    """The cache's size in entries from RN_ENCODER_CACHE_ENTRIES (0 turns it off)."""
    value = os.environ.get("RN_ENCODER_CACHE_ENTRIES", "").strip()
    return max(0, int(value)) if value else DEFAULT_ENTRIES
