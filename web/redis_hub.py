"""Live frames across several web instances, through Redis publish/subscribe.

A person's widget and the peer who helps them may be connected to different instances behind
a load balancer. Every frame is delivered at once to the sockets of this instance and
published on one Redis channel; each other instance delivers it to its own sockets. Nothing
is lost when an instance or Redis blinks: frames are stored with their seq before they are
sent, and a reconnecting widget or console resumes from the database (docs/web.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from typing import Any

import redis.asyncio as redis

from web.peer_hub import PeerHub

log = logging.getLogger(__name__)

CHANNEL = "recovery-navigator:frames"
#: How long to wait before subscribing again after Redis went away.
RETRY_SECONDS = 1.0


class RedisHub(PeerHub):
    """A PeerHub whose frames also reach the sockets of the other web instances."""

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        super().__init__()
        self.instance = secrets.token_hex(8)
        self.channel = channel
        self._redis = redis.Redis.from_url(url)
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def start(self) -> None:
        """Subscribe in the background; returns once the first subscription is in place."""
        self._listener = asyncio.create_task(self._listen(), name="redis-hub")
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout=5)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()

    async def to_person(self, conversation_id: str, frame: dict[str, Any]) -> None:
        await super().to_person(conversation_id, frame)
        await self._publish("person", conversation_id, frame)

    async def to_peer(self, user_id: int, frame: dict[str, Any]) -> None:
        await super().to_peer(user_id, frame)
        await self._publish("peer", user_id, frame)

    async def to_all_peers(self, frame: dict[str, Any]) -> None:
        await super().to_all_peers(frame)
        await self._publish("peers", None, frame)

    async def _publish(self, to: str, target: str | int | None, frame: dict[str, Any]) -> None:
        message = json.dumps({"origin": self.instance, "to": to, "target": target,
                              "frame": frame})
        try:
            await self._redis.publish(self.channel, message)
        except (redis.RedisError, OSError) as exc:
            # This instance's own sockets already have the frame; the others resume from
            # the database when they reconnect.
            log.warning("could not publish a frame to the other instances: %s",
                        exc.__class__.__name__)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self._subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await self._deliver(message["data"])
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError) as exc:
                log.warning("lost the frame channel (%s); subscribing again",
                            exc.__class__.__name__)
                await asyncio.sleep(RETRY_SECONDS)

    async def _deliver(self, data: bytes | str) -> None:
        try:
            message = json.loads(data)
            if message["origin"] == self.instance:
                return
            to, target, frame = message["to"], message["target"], message["frame"]
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed frame on the channel")
            return
        if to == "person":
            await PeerHub.to_person(self, str(target), frame)
        elif to == "peer":
            await PeerHub.to_peer(self, int(target), frame)
        elif to == "peers":
            await PeerHub.to_all_peers(self, frame)
