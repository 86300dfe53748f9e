"""Rate limits (chat messages, login failures) on top of the `limits` package."""

from __future__ import annotations

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class RateLimits:
    """Named moving-window limits kept in memory (one web process)."""

    def __init__(self, limits: dict[str, str]) -> None:
        self._storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._items: dict[str, RateLimitItem] = {name: parse(v) for name, v in limits.items()}

    def hit(self, name: str, key: str) -> bool:
        """Count one event; False once the limit is used up."""
        return bool(self._limiter.hit(self._items[name], name, key))

    def allowed(self, name: str, key: str) -> bool:
        """True while the limit still has room, without counting anything."""
        return bool(self._limiter.test(self._items[name], name, key))

    def clear(self, name: str, key: str) -> None:
        self._limiter.clear(self._items[name], name, key)
