"""Prometheus metrics of the action server: how long each custom action takes and how often
one fails, by action name.

Served as /metrics alone on `RN_ACTIONS_METRICS_PORT` (unset or 0: off), by the same helper
the web app uses for its internal port (web/metrics.py `start_listener`), from the Sanic
worker that runs the actions. Counts live in that worker's memory, so the port needs one
Sanic worker per process (rasa-sdk's default; scale with replicas): actions/server.py refuses
to start with more. Labels are registered action names only (anything else is "unknown"):
never a conversation id, a place or text.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from sanic import Sanic

from web.metrics import FAST_BUCKETS, start_listener

PORT_VARIABLE = "RN_ACTIONS_METRICS_PORT"
UNKNOWN = "unknown"

REGISTRY = CollectorRegistry(auto_describe=True)
ACTION_SECONDS = Histogram(
    "rn_action_seconds", "Running one custom action (Rasa's call to the action server).",
    ["action"], buckets=FAST_BUCKETS, registry=REGISTRY,
)
ACTION_ERRORS = Counter(
    "rn_action_errors_total", "Actions that raised (the call answered 500), by action.",
    ["action"], registry=REGISTRY,
)


def metrics_port(environ: Mapping[str, str] = os.environ) -> int:
    """The port from RN_ACTIONS_METRICS_PORT; 0 when unset (no metrics listener)."""
    raw = environ.get(PORT_VARIABLE, "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or not 0 <= int(raw) <= 65535:
        raise SystemExit(f"{PORT_VARIABLE} must be a port number (0 or unset: off), not {raw!r}")
    return int(raw)


def _is_expected(exc: Exception) -> bool:
    """A form's validation rejection or Rasa's 'send the domain' request: part of the
    protocol (answered 400 and 449), not a failing action."""
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionMissingDomainException

    return isinstance(exc, ActionExecutionRejection | ActionMissingDomainException)


class TimedExecutor:
    """rasa-sdk's ActionExecutor as its webhook sees it, with every run timed.

    A wrapper made in each process rather than a change to the executor: rasa-sdk pickles
    the executor into each Sanic worker, and a patched method would not pickle.
    """

    def __init__(self, executor: Any) -> None:
        self._executor = executor
        for name in getattr(executor, "actions", {}):
            ACTION_SECONDS.labels(name)  # every action shows up, at zero, from the start
            ACTION_ERRORS.labels(name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._executor, name)

    def _label(self, action_call: Mapping[str, Any]) -> str:
        name = action_call.get("next_action")
        return name if isinstance(name, str) and name in self._executor.actions else UNKNOWN

    async def run(self, action_call: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        label = self._label(action_call)
        started = time.perf_counter()
        try:
            return await self._executor.run(action_call, *args, **kwargs)
        except Exception as exc:
            if not _is_expected(exc):
                ACTION_ERRORS.labels(label).inc()
            raise
        finally:
            ACTION_SECONDS.labels(label).observe(time.perf_counter() - started)


def serve_metrics(app: Sanic, host: str, port: int) -> None:
    """Serve /metrics on host:port while this Sanic worker serves the actions."""

    async def start(app: Sanic) -> None:
        app.ctx.rn_metrics = await start_listener(host, port, REGISTRY)

    async def stop(app: Sanic) -> None:
        await app.ctx.rn_metrics.cleanup()

    app.register_listener(start, "before_server_start")
    app.register_listener(stop, "after_server_stop")
