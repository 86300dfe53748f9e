"""Talks to the Rasa server(s): REST channel turns, resuming paused conversations, NLU parsing.

With several replicas (`RN_RASA_URL` lists them, comma-separated) each conversation goes to
its own replica (web/rasa_replicas.py). A request moves to the next replica only when the
connection itself failed, so the message cannot have been received: a timeout or an error
reply is never retried elsewhere, because the turn may already have run there.
"""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import jwt

from web.rasa_replicas import ReplicaRouter, parse_urls

CONNECT_TIMEOUT_SECONDS = 2.0
JWT_USERNAME = "recovery-navigator-web"
JWT_LIFETIME_SECONDS = 300
#: below Sanic's 5 s keep-alive, so we never reuse a connection the server is closing
KEEPALIVE_SECONDS = 4.0
# failures that happen before the request is sent: safe to try another replica
NOT_DELIVERED = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
# the connection broke under the request: safe to move on only if the replica is gone
CONNECTION_LOST = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)


class RasaUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    """A thin client over one shared aiohttp ClientSession (created lazily, closed on shutdown)."""

    def __init__(self, base_url: str, token: str = "", timeout_seconds: float = 8.0) -> None:
        self.router = ReplicaRouter(parse_urls(base_url))
        self.token = token
        # a replica that does not even accept the connection is skipped quickly
        self.timeout = aiohttp.ClientTimeout(
            total=timeout_seconds, sock_connect=min(CONNECT_TIMEOUT_SECONDS, timeout_seconds)
        )
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self.timeout,
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _headers(self) -> dict[str, str]:
        """`Authorization: Bearer <JWT>` signed with the token (Rasa's `--jwt-secret`).

        Rasa 3.6 takes its API token as a query parameter or, started with `--jwt-secret` and
        `--jwt-method HS256` (devstack/rasa_entry.py, docker-compose.yml), as a JWT in this
        header; a query parameter would end up in access logs. Short-lived, role admin (the
        resume and parse calls act for any conversation).
        """
        if not self.token:
            return {}
        now = int(time.time())
        claims = {"user": {"username": JWT_USERNAME, "role": "admin"}, "iat": now,
                  "exp": now + JWT_LIFETIME_SECONDS}
        return {"Authorization": "Bearer " + jwt.encode(claims, self.token, algorithm="HS256")}

    async def _request(self, method: str, path: str, key: str = "", **kwargs: Any) -> Any:
        """Send to the conversation's replica; if that replica is gone, to the next one."""
        failures: list[str] = []
        for base_url in self.router.order(key):
            try:
                result = await self._request_one(base_url, method, path, **kwargs)
            except NOT_DELIVERED as exc:
                failures.append(f"{base_url}: {exc.__class__.__name__}")
            except RasaUnavailable as exc:
                # A replica that died holding our connection cannot finish the turn later;
                # one that is still up might have, so its error stands.
                if not isinstance(exc.__cause__, CONNECTION_LOST) or await self._answers(base_url):
                    raise
                failures.append(f"{base_url}: {exc.__cause__.__class__.__name__}")
            else:
                self.router.mark_up(base_url)
                return result
            self.router.mark_down(base_url)
        raise RasaUnavailable(f"{path}: no replica reachable ({'; '.join(failures)})")

    async def _request_one(self, base_url: str, method: str, path: str, **kwargs: Any) -> Any:
        try:
            async with self.session.request(
                method, base_url + path, headers=self._headers(), **kwargs
            ) as resp:
                if resp.status >= 400:
                    raise RasaUnavailable(f"Rasa answered {resp.status} to {path}")
                if resp.content_type == "application/json":
                    return await resp.json()
                return await resp.text()
        except NOT_DELIVERED:
            raise
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise RasaUnavailable(f"{path}: {exc.__class__.__name__}") from exc

    async def _answers(self, base_url: str) -> bool:
        """Whether the replica accepts a new connection (not one from the pool) right now."""
        connector = aiohttp.TCPConnector(force_close=True)
        async with aiohttp.ClientSession(timeout=self.timeout, connector=connector) as probe:
            try:
                async with probe.get(base_url + "/") as resp:
                    return resp.status < 500
            except (TimeoutError, aiohttp.ClientError):
                return False

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """One turn over the REST channel; returns the bot messages (contract §4)."""
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        data = await self._request("POST", "/webhooks/rest/webhook", key=sender, json=body)
        if not isinstance(data, list):
            raise RasaUnavailable("REST channel did not return a list")
        return [m for m in data if isinstance(m, dict)]

    async def resume(self, conversation_id: str) -> None:
        """Un-pause a conversation after a peer hands it back to the assistant."""
        await self._request(
            "POST",
            f"/conversations/{conversation_id}/tracker/events",
            key=conversation_id,
            json={"event": "resume"},
        )

    async def set_slot(self, conversation_id: str, name: str, value: Any) -> None:
        """Set one slot of a conversation (e.g. the cards a peer sent, for follow-ups)."""
        await self._request(
            "POST",
            f"/conversations/{conversation_id}/tracker/events",
            key=conversation_id,
            json={"event": "slot", "name": name, "value": value},
        )

    async def parse(self, text: str) -> dict[str, Any]:
        data = await self._request("POST", "/model/parse", json={"text": text})
        if not isinstance(data, dict):
            raise RasaUnavailable("parse did not return an object")
        return data

    async def ping(self) -> None:
        """Raise RasaUnavailable unless at least one replica answers its root URL."""
        await self._request("GET", "/")
