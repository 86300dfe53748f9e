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
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
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


def action_label(registered: Collection[str], action_call: Mapping[str, Any]) -> str:
    """The action's name when it is registered, else "unknown" (labels stay a small set)."""
    name = action_call.get("next_action")
    return name if isinstance(name, str) and name in registered else UNKNOWN


def start_at_zero(registered: Collection[str]) -> None:
    """Every registered action shows up, at zero, before its first run."""
    for name in registered:
        ACTION_SECONDS.labels(name)
        ACTION_ERRORS.labels(name)


def is_failure(exc: Exception) -> bool:
    """False for a form's validation rejection and Rasa's 'send the domain' request: part
    of the protocol (answered 400 and 449), not a failing action."""
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionMissingDomainException

    return not isinstance(exc, ActionExecutionRejection | ActionMissingDomainException)


@contextmanager
def timed(label: str) -> Iterator[None]:
    """Time the block as one run of `label`; count it as an error if it raises a failure."""
    started = time.perf_counter()
    try:
        yield
    except Exception as exc:
        if is_failure(exc):
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
