"""Rate limits (chat messages, erases, searches, sign-in failures) on the `limits` package.

In one process the counters live in memory; with `RN_REDIS_URL` they live in Redis, so several
web replicas share them. If Redis stops answering, limits fail open (logged): a person in
crisis must never be refused because a counter store is down.
"""

from __future__ import annotations

import logging

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


class RateLimits:
    """Named moving-window limits."""

    def __init__(self, limits: dict[str, str], storage_uri: str = "") -> None:
        storage = storage_from_string(storage_uri) if storage_uri else MemoryStorage()
        if not isinstance(storage, Storage):  # an async storage URI (async+redis://…)
            raise ValueError(f"not a synchronous rate limit storage: {storage_uri!r}")
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._items: dict[str, RateLimitItem] = {name: parse(v) for name, v in limits.items()}

    def hit(self, name: str, key: str) -> bool:
        """Count one event; False once the limit is used up."""
        try:
            return bool(self._limiter.hit(self._items[name], name, key))
        except Exception as exc:  # the store is down: let the request through
            log.warning("rate limit store unavailable (%s); not limiting", type(exc).__name__)
            return True

    def allowed(self, name: str, key: str) -> bool:
        """True while the limit still has room, without counting anything."""
        try:
            return bool(self._limiter.test(self._items[name], name, key))
        except Exception as exc:
            log.warning("rate limit store unavailable (%s); not limiting", type(exc).__name__)
            return True

    def clear(self, name: str, key: str) -> None:
        try:
            self._limiter.clear(self._items[name], name, key)
        except Exception as exc:
            log.warning("rate limit store unavailable (%s)", type(exc).__name__)
