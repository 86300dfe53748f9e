"""A clock the test moves by hand, for code that takes a `clock` callable (monotonic time)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Clock:
    """Tells `now`, which only the test changes."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now
