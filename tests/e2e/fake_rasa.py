"""A stand-in for the Rasa server in browser tests of the widget (fictional data only).

    python tests/e2e/fake_rasa.py PORT

It answers the REST channel like Rasa does, and lists what it received at GET /_test/turns.
Other stand-ins (tests/security/hostile_rasa.py) serve the same app with their own replies.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from aiohttp import web

INJECTION = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

CARDS: list[dict[str, Any]] = [
    {
        "id": "example-1", "name": "Example Detox Center", "organization": "Example Health",
        "categories": ["detox"], "address": "100 Example St", "city": "Baltimore", "state": "MD",
        "zip": "21201", "lat": 39.29, "lon": -76.62, "distance_miles": 0.4,
        "phone": "410-555-0101", "website": "https://example.org", "insurance": ["medicaid"],
        "populations": ["adults"], "languages": ["en", "es"], "hours": "24/7", "open_now": True,
        "capacity": {"available": 3, "total": 20, "unit": "beds",
                     "updated_at": "2026-01-01T00:00:00Z"},
        "last_verified": "2026-01-01", "source": "test", "peer_run": True, "cost": "free",
        "offers": ["help with transportation", "peer support"],
    },
    {
        "id": "example-2", "name": "Example Recovery House " + INJECTION, "organization": None,
        "categories": ["housing"], "address": None, "city": "Baltimore", "state": "MD",
        "zip": "21202", "lat": 39.3, "lon": -76.61, "distance_miles": 1.2,
        "phone": "410-555-0102 ext. 12", "website": "javascript:window.__pwned=3", "insurance": [],
        "populations": [], "languages": [], "hours": None, "open_now": None, "capacity": None,
        "last_verified": None, "source": "test", "offers": [INJECTION],
    },
]

turns: list[dict[str, Any]] = []
events: list[dict[str, Any]] = []


def reply_to(message: str) -> list[dict[str, Any]]:
    if message == "/request_peer":
        return [{"text": "I'm asking a peer recovery specialist to join.",
                 "custom": {"type": "handoff", "status": "queued",
                            "summary": {"needs": ["detox"], "location": "Baltimore, MD 21201",
                                        "insurance": "medicaid", "notes": None}}}]
    if "detox" in message:
        # "... spanish speaking": the search asked for services that speak Spanish
        query = {"prefer_language": "es"} if "spanish" in message else {}
        return [{"text": "Here are places near Baltimore, MD 21201:"},
                {"custom": {"type": "resources", "query": query, "total": 2, "relaxed": False,
                            "resources": CARDS}}]
    if "overdose" in message:
        return [{"custom": {"type": "crisis", "kind": "overdose",
                            "lines": [{"name": "Emergency services", "phone": "911",
                                       "text": None}]}},
                {"text": "Call 911 now."}]
    return [{"text": "echo: " + message,
             "buttons": [{"title": "Find detox", "payload": "/find_help{\"need\": \"detox\"}"}]}]


async def tracker_events(request: web.Request) -> web.Response:
    events.append({"conversation": request.match_info["cid"], **(await request.json())})
    return web.json_response({})


async def root(request: web.Request) -> web.Response:
    return web.Response(text="Hello from Rasa: 3.6.21 (fake)")


async def seen(request: web.Request) -> web.Response:
    return web.json_response({"turns": turns, "events": events})


async def parse(request: web.Request) -> web.Response:
    body = await request.json()
    return web.json_response({"text": body["text"], "entities": []})


def make_app(reply: Callable[[str], list[dict[str, Any]]] = reply_to) -> web.Application:
    """The stand-in Rasa, answering each message the REST channel gets with `reply(message)`."""

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        turns.append(body)
        return web.json_response(reply(str(body.get("message", ""))))

    app = web.Application()
    app.router.add_get("/", root)
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_post("/conversations/{cid}/tracker/events", tracker_events)
    app.router.add_post("/model/parse", parse)
    app.router.add_get("/_test/turns", seen)
    return app


def serve(reply: Callable[[str], list[dict[str, Any]]] = reply_to) -> None:
    """Serve make_app(reply) on loopback, at the port given as the script's only argument."""
    web.run_app(make_app(reply), host="127.0.0.1", port=int(sys.argv[1]), print=None)


if __name__ == "__main__":
    serve()
