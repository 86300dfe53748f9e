"""Live fan-out of frames to the open WebSockets of people and peers (one web process).

A queue frame is shaped for each peer on the way out (web/language_offer.py): who they see
first, and who not yet. When an offer ends the queue goes out again from here, on every
instance, without anyone acting.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from typing import Any, TypeVar

from aiohttp import web

from web.language_offer import next_change, view_for
from web.models import utcnow

log = logging.getLogger(__name__)
K = TypeVar("K", str, int)


class PeerHub:
    """Who is connected right now: people by conversation id, peers by user id."""

    def __init__(self) -> None:
        self.people: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        self.peers: dict[int, set[web.WebSocketResponse]] = defaultdict(set)
        #: the languages besides English each connected peer speaks
        self.languages: dict[int, frozenset[str]] = {}
        self._queue: dict[str, Any] | None = None
        self._refresh: asyncio.Task[None] | None = None

    def add_person(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        self.people[conversation_id].add(ws)

    def remove_person(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        _discard(self.people, conversation_id, ws)

    def add_peer(
        self, user_id: int, ws: web.WebSocketResponse, languages: tuple[str, ...] = ()
    ) -> None:
        self.peers[user_id].add(ws)
        self.set_languages(user_id, languages)

    def set_languages(self, user_id: int, languages: tuple[str, ...] | list[str]) -> None:
        """What a connected peer speaks, as the account says (their next queue follows)."""
        if user_id in self.peers:
            self.languages[user_id] = frozenset(languages)

    def remove_peer(self, user_id: int, ws: web.WebSocketResponse) -> bool:
        """Forget one socket; True when this peer has no sockets left."""
        if _discard(self.peers, user_id, ws):
            self.languages.pop(user_id, None)
            return True
        return user_id not in self.peers

    async def to_person(self, conversation_id: str, frame: dict[str, Any]) -> None:
        await self._send(self.people.get(conversation_id, set()), frame)

    async def to_peer(self, user_id: int, frame: dict[str, Any]) -> None:
        if frame.get("type") == "languages":  # the peer, or an admin, changed them
            self.set_languages(user_id, frame.get("languages") or [])
        await self._send(self.peers.get(user_id, set()), frame)

    async def to_all_peers(self, frame: dict[str, Any]) -> None:
        if frame.get("type") == "queue":
            await self._queue_to_all(frame)
            return
        sockets = {ws for group in self.peers.values() for ws in group}
        await self._send(sockets, frame)

    async def queue_to_peer(self, user_id: int, frame: dict[str, Any]) -> None:
        """A console that just opened gets the queue read for it; being the newest
        reading, it is also what the next refresh sends."""
        self._keep(frame)
        await self._send(self.peers.get(user_id, set()),
                         view_for(frame, self.languages.get(user_id, ())))

    async def _queue_to_all(self, frame: dict[str, Any]) -> None:
        self._keep(frame)
        now = utcnow()
        for user_id, sockets in list(self.peers.items()):
            await self._send(sockets, view_for(frame, self.languages.get(user_id, ()), now))

    def _keep(self, frame: dict[str, Any]) -> None:
        """Remember the latest queue and send it again when its next offer ends."""
        self._queue = frame
        if self._refresh is not None:
            self._refresh.cancel()
        self._refresh = None
        ends = next_change(frame)
        if ends is not None:
            delay = (ends - utcnow()).total_seconds()
            self._refresh = asyncio.create_task(self._refresh_at(delay), name="queue-refresh")

    async def _refresh_at(self, delay: float) -> None:
        await asyncio.sleep(max(0.0, delay) + 0.05)
        if self._queue is not None:
            self._refresh = None  # _queue_to_all must not cancel the task that runs it
            try:
                await self._queue_to_all(self._queue)
            except Exception:  # the next queue change sends it anyway
                log.exception("could not send the queue again")

    async def close_all(self) -> None:
        if self._refresh is not None:
            self._refresh.cancel()
        sockets = {ws for g in self.people.values() for ws in g}
        sockets |= {ws for g in self.peers.values() for ws in g}
        for ws in sockets:
            with contextlib.suppress(Exception):
                await ws.close()

    @staticmethod
    async def _send(sockets: set[web.WebSocketResponse], frame: dict[str, Any]) -> None:
        data = json.dumps(frame)
        for ws in list(sockets):
            if ws.closed:
                continue
            # A socket that dropped mid-send will resume from its last seq on reconnect.
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_str(data)


def _discard(
    groups: dict[K, set[web.WebSocketResponse]], key: K, ws: web.WebSocketResponse
) -> bool:
    """Forget one socket of `key`; True when that was its last one (the key is gone too)."""
    sockets = groups.get(key)
    if sockets is None:
        return False
    sockets.discard(ws)
    if sockets:
        return False
    del groups[key]
    return True
