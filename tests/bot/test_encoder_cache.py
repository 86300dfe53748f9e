"""The sentence encoder's feature cache stays within its bounds and hands out safe copies."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.components.encoder_cache import (
    DEFAULT_ENTRIES,
    MAX_TEXT_CHARS,
    FeatureCache,
    cache_entries,
    cache_key,
)


@dataclass
class Vectors:
    """Stands in for a float32 NumPy array (the app environment has no NumPy)."""

    values: list[float]

    @property
    def nbytes(self) -> int:
        return 4 * len(self.values)

    def copy(self) -> Vectors:
        return Vectors(list(self.values))


def features(tokens: int, value: float = 1.0) -> tuple[Vectors, Vectors]:
    """Sequence (tokens x 384) and sentence (384) features of one message."""
    return Vectors([value] * tokens * 384), Vectors([value] * 384)


def test_a_repeated_message_reads_back_the_features_it_was_stored_with() -> None:
    cache: FeatureCache[Vectors] = FeatureCache()
    key = cache_key("thanks", [(0, 6)])
    cache.put(key, *features(1, 0.5))
    assert cache.get(key) == features(1, 0.5)
    assert (cache.hits, cache.misses) == (1, 0)


def test_the_same_text_tokenized_differently_is_another_entry() -> None:
    cache: FeatureCache[Vectors] = FeatureCache()
    cache.put(cache_key("hi there", [(0, 2), (3, 8)]), *features(2))
    assert cache.get(cache_key("hi there", [(0, 8)])) is None


def test_entries_stay_within_the_count_however_many_conversations_write() -> None:
    cache: FeatureCache[Vectors] = FeatureCache(max_entries=100)
    for n in range(10_000):
        cache.put(cache_key(f"message {n}", [(0, 7)]), *features(2))
    assert len(cache) == 100
    assert cache.get(cache_key("message 9999", [(0, 7)])) is not None
    assert cache.get(cache_key("message 0", [(0, 7)])) is None


def test_bytes_stay_within_the_budget_and_the_least_recently_used_goes_first() -> None:
    one = sum(a.nbytes for a in features(10))
    cache: FeatureCache[Vectors] = FeatureCache(max_bytes=3 * one)
    keys = [cache_key(f"text {n}", [(0, 4)]) for n in range(4)]
    for key in keys[:3]:
        cache.put(key, *features(10))
    cache.get(keys[0])  # used again: now the newest
    cache.put(keys[3], *features(10))
    assert cache.nbytes <= 3 * one
    assert cache.get(keys[1]) is None
    assert cache.get(keys[0]) is not None


def test_a_caller_changing_its_features_does_not_change_the_cache() -> None:
    cache: FeatureCache[Vectors] = FeatureCache()
    key = cache_key("yes", [(0, 3)])
    sequence, sentence = features(1, 2.0)
    cache.put(key, sequence, sentence)
    sequence.values[0] = 0.0
    read = cache.get(key)
    assert read is not None
    read[0].values[1] = 0.0
    assert cache.get(key) == features(1, 2.0)


def test_long_messages_are_not_cached() -> None:
    assert cache_key("x" * (MAX_TEXT_CHARS + 1), [(0, MAX_TEXT_CHARS + 1)]) is None
    assert cache_key("x" * MAX_TEXT_CHARS, [(0, MAX_TEXT_CHARS)]) is not None


def test_a_size_of_zero_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RN_ENCODER_CACHE_ENTRIES", "0")
    cache: FeatureCache[Vectors] = FeatureCache(max_entries=cache_entries())
    key = cache_key("hi", [(0, 2)])
    cache.put(key, *features(1))
    assert cache.get(key) is None
    assert len(cache) == 0


def test_the_size_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RN_ENCODER_CACHE_ENTRIES", "10")
    assert cache_entries() == 10
    monkeypatch.delenv("RN_ENCODER_CACHE_ENTRIES")
    assert cache_entries() == DEFAULT_ENTRIES
