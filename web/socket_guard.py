"""The last line of defence on a WebSocket: an error in a frame's handler becomes an error frame.

Once a WebSocket is open, an exception escaping the handler would reach the error middleware,
which answers with an HTTP page: written into the open socket, that is garbage to the client
(issue 22, finding 7). Frames are validated first (web/frame_reader.py); anything that still
fails is logged (without the frame: it may hold what a person typed) and answered in-protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

SORRY = {
    "type": "error",
    "code": "unavailable",
    "message": "Sorry, something went wrong with that message. Please try again.",
    "client_id": None,
}


async def handle_safely(
    ws: web.WebSocketResponse, handle: Callable[[str], Awaitable[Any]], raw: str, where: str
) -> None:
    """Run `handle(raw)`; on any error send an `unavailable` error frame and keep the socket."""
    try:
        await handle(raw)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.error("%s: frame handler failed (%s)", where, type(exc).__name__, exc_info=False)
        if not ws.closed:
            with contextlib.suppress(Exception):
                await ws.send_json(SORRY)
