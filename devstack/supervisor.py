"""Keep `make run` running: a child that dies is restarted with back-off, the others stay up.

A crashed action server used to stop the whole stack (issue 22, finding 8). Now its crash is
reported with the tail of its log, and it is started again after a delay that doubles with each
crash in a row (`first_delay` up to `max_delay`) and goes back to `first_delay` once it has
stayed up for `stable_after` seconds. Rasa and the web app meanwhile answer people with the
fallback and the phone lines (docs/security.md, "Faults").
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field

from devstack.processes import Stack


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(eq=False)  # a running supervisor is itself, not its settings
class Supervisor:
    """Call `poll()` every so often (it never blocks)."""

    stack: Stack
    _: KW_ONLY
    first_delay: float = 1.0
    max_delay: float = 30.0
    stable_after: float = 60.0
    report: Callable[[str], None] = _to_stderr
    clock: Callable[[], float] = time.monotonic
    _delay: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _started: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _due: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    restarts: dict[str, int] = field(default_factory=dict, init=False)

    def poll(self) -> None:
        now = self.clock()
        for service in self.stack.dead():
            name = service.spec.name
            code = service.process.returncode
            tail = service.log_tail()
            self.stack.forget(service)
            delay = self._next_delay(name, now)
            self._due[name] = now + delay
            self.report(
                f"{name} stopped unexpectedly (exit {code}); restarting in {delay:.1f} s:\n{tail}"
            )
        for name, due in list(self._due.items()):
            if now >= due:
                del self._due[name]
                self.stack.respawn(name)
                self._started[name] = now
                self.restarts[name] = self.restarts.get(name, 0) + 1

    def _next_delay(self, name: str, now: float) -> float:
        started = self._started.get(name)
        if started is None or now - started >= self.stable_after:
            delay = self.first_delay  # first crash, or it had been running fine for a while
        else:
            delay = min(self._delay.get(name, self.first_delay) * 2, self.max_delay)
        self._delay[name] = delay
        return delay
