"""Prometheus metrics of the web app: how long turns and searches take, how long people wait
for a peer, and how often crisis replies, handoffs and errors happen.

`/metrics` is for the operator's Prometheus only. It is served on its own internal port when
`RN_METRICS_PORT` is set (Kubernetes: reachable only from the monitoring namespace, see
deploy/kubernetes/network-policies.yaml), and otherwise answers on the main port to loopback
requests that came through no proxy. Labels never carry a conversation id, a place or text.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

REGISTRY = CollectorRegistry(auto_describe=True)

#: Seconds buckets for chat work (and the action server's actions): most take tens of
#: milliseconds, a slow one a second.
FAST_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: Minutes to an hour, for waiting in the peer queue.
_WAIT = (5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600)

TURN_SECONDS = Histogram(
    "rn_turn_seconds", "From a person's message to the assistant's reply, through Rasa.",
    buckets=FAST_BUCKETS, registry=REGISTRY,
)
SEARCH_SECONDS = Histogram(
    "rn_search_seconds", "Directory searches over /api/v1/search.",
    buckets=FAST_BUCKETS, registry=REGISTRY,
)
QUEUE_WAIT_SECONDS = Histogram(
    "rn_queue_wait_seconds", "From asking for a peer to a peer joining.",
    buckets=_WAIT, registry=REGISTRY,
)
QUEUE_LENGTH = Gauge(
    "rn_queue_length", "People waiting for a peer (as last seen by this instance).",
    registry=REGISTRY,
)
CRISIS_REPLIES = Counter(
    "rn_crisis_replies_total", "Crisis replies sent, by kind.", ["kind"], registry=REGISTRY,
)
HANDOFFS = Counter(
    "rn_handoffs_total", "Requests for a peer, by outcome.", ["status"], registry=REGISTRY,
)
ERRORS = Counter(
    "rn_errors_total", "Failures a person or peer noticed, by where.", ["where"],
    registry=REGISTRY,
)

_FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


def exposition(registry: CollectorRegistry = REGISTRY) -> web.Response:
    response = web.Response(body=generate_latest(registry))
    response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
    response.charset = "utf-8"
    return response


def _from_this_machine(request: web.Request) -> bool:
    """A loopback peer that no proxy forwarded (a proxy on this host forwards the public)."""
    if any(name in request.headers for name in _FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False


async def metrics_on_main_port(request: web.Request) -> web.StreamResponse:
    if not _from_this_machine(request):
        raise web.HTTPNotFound()
    return exposition()


async def start_listener(
    host: str, port: int, registry: CollectorRegistry = REGISTRY
) -> web.AppRunner:
    """Serve `registry` as /metrics alone on host:port (nothing else answers there) on the
    running event loop; `await runner.cleanup()` stops it. The action server
    (actions/metrics.py) serves its own registry with this too."""

    async def metrics(request: web.Request) -> web.StreamResponse:
        return exposition(registry)

    metrics_app = web.Application()
    metrics_app.router.add_get("/metrics", metrics)
    runner = web.AppRunner(metrics_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def internal_listener(
    host: str, port: int
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context that serves /metrics alone on `port` while the app runs."""

    async def listener(app: web.Application) -> AsyncIterator[None]:
        runner = await start_listener(host, port)
        yield
        await runner.cleanup()

    return listener
