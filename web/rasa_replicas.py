"""Which Rasa replica serves a conversation.

Production runs several Rasa servers that share the SQL tracker store and the Redis lock
store, so any replica can serve any message. We still keep each conversation on one replica
while it is up (rendezvous hashing on the conversation id): its tracker stays warm there and
the lock is rarely contended. When a replica refuses connections it is set aside for a few
seconds and its conversations move to their next replica in rendezvous order; the others'
conversations do not move at all.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence

DEFAULT_RETRY_AFTER_SECONDS = 5.0


def parse_urls(value: str) -> tuple[str, ...]:
    """`RN_RASA_URL` holds one base URL or several separated by commas."""
    urls = tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
    if not urls:
        raise ValueError("no Rasa URL given")
    return urls


def _weight(key: str, url: str) -> int:
    digest = hashlib.blake2b(f"{url}\0{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class ReplicaRouter:
    """Orders the replicas for a conversation: its own first, replicas that just failed last."""

    def __init__(
        self,
        urls: Sequence[str],
        retry_after_seconds: float = DEFAULT_RETRY_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not urls:
            raise ValueError("at least one Rasa replica is needed")
        self.urls = tuple(urls)
        self.retry_after = retry_after_seconds
        self._clock = clock
        self._down_until: dict[str, float] = {}

    def order(self, key: str) -> list[str]:
        """Every replica, best first. Replicas set aside are still tried, but last."""
        now = self._clock()
        return sorted(
            self.urls,
            key=lambda url: (self._down_until.get(url, 0.0) > now, -_weight(key, url)),
        )

    def mark_down(self, url: str) -> None:
        self._down_until[url] = self._clock() + self.retry_after

    def mark_up(self, url: str) -> None:
        self._down_until.pop(url, None)

    def is_down(self, url: str) -> bool:
        return self._down_until.get(url, 0.0) > self._clock()
