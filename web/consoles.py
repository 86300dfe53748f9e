"""Open peer-console sockets per account and session, so ending either closes them at once.

Signing out and disabling an account go through here (issue 22, finding 2): the console does
not keep its rights until it happens to send another frame. Every frame is re-checked as well
(web/routes/peer.py), which covers a session ended by another replica.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import TypeVar

from aiohttp import web

#: close code a console gets when its session ended or its account was disabled
SIGNED_OUT = 4001
K = TypeVar("K", int, str)


class ConsoleRegistry:
    """Which console sockets belong to which user id and session token (one web process)."""

    def __init__(self) -> None:
        self._by_user: dict[int, set[web.WebSocketResponse]] = defaultdict(set)
        self._by_session: dict[str, set[web.WebSocketResponse]] = defaultdict(set)

    def add(self, user_id: int, session_token: str, ws: web.WebSocketResponse) -> None:
        self._by_user[user_id].add(ws)
        self._by_session[session_token].add(ws)

    def remove(self, user_id: int, session_token: str, ws: web.WebSocketResponse) -> None:
        _discard(self._by_user, user_id, ws)
        _discard(self._by_session, session_token, ws)

    async def close_user(self, user_id: int) -> int:
        """Close every console of an account (disabled, or its password was reset)."""
        return await _close(self._by_user.pop(user_id, set()))

    async def close_session(self, session_token: str) -> int:
        """Close the consoles opened with one session (signed out)."""
        return await _close(self._by_session.pop(session_token, set()))


def _discard(index: dict[K, set[web.WebSocketResponse]], key: K, ws: web.WebSocketResponse) -> None:
    sockets = index.get(key)
    if sockets is not None:
        sockets.discard(ws)
        if not sockets:
            del index[key]


async def _close(sockets: set[web.WebSocketResponse]) -> int:
    for ws in list(sockets):
        with contextlib.suppress(Exception):
            await ws.close(code=SIGNED_OUT, message=b"signed out")
    return len(sockets)
