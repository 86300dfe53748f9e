"""Live fan-out of frames to the open WebSockets of people and peers (one web process)."""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from typing import Any

from aiohttp import web


class PeerHub:
    """Who is connected right now: people by conversation id, peers by user id."""

    def __init__(self) -> None:
        self.people: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        self.peers: dict[int, set[web.WebSocketResponse]] = defaultdict(set)

    def add_person(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        self.people[conversation_id].add(ws)

    def remove_person(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        sockets = self.people.get(conversation_id)
        if sockets is not None:
            sockets.discard(ws)
            if not sockets:
                del self.people[conversation_id]

    def add_peer(self, user_id: int, ws: web.WebSocketResponse) -> None:
        self.peers[user_id].add(ws)

    def remove_peer(self, user_id: int, ws: web.WebSocketResponse) -> bool:
        """Forget one socket; True when this peer has no sockets left."""
        sockets = self.peers.get(user_id)
        if sockets is not None:
            sockets.discard(ws)
            if not sockets:
                del self.peers[user_id]
                return True
        return user_id not in self.peers

    async def to_person(self, conversation_id: str, frame: dict[str, Any]) -> None:
        await self._send(self.people.get(conversation_id, set()), frame)

    async def to_peer(self, user_id: int, frame: dict[str, Any]) -> None:
        await self._send(self.peers.get(user_id, set()), frame)

    async def to_all_peers(self, frame: dict[str, Any]) -> None:
        sockets = {ws for group in self.peers.values() for ws in group}
        await self._send(sockets, frame)

    async def close_all(self) -> None:
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
