"""Reading a JSON request body within the same bounds as WebSocket frames (web/frame_reader.py).

`request.json()` raises RecursionError on deeply nested JSON and accepts numbers and strings
nothing downstream can store; the error middleware turned that into a 503. Here every such
body is a `BadBody`, which the caller answers with 400 and its usual error body.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from web.frame_reader import parse_json


class BadBody(ValueError):
    """The body is not a JSON object within bounds."""


async def read_object(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object, or BadBody."""
    raw = await request.read()
    try:
        data = parse_json(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadBody("not a JSON object within bounds") from None
    if not isinstance(data, dict):
        raise BadBody("not a JSON object")
    return data
