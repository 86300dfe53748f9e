"""Talks to the Rasa server: REST channel turns, resuming paused conversations, NLU parsing."""

from __future__ import annotations

from typing import Any

import aiohttp


class RasaUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    """A thin client over one shared aiohttp ClientSession (created lazily, closed on shutdown)."""

    def __init__(self, base_url: str, token: str = "", timeout_seconds: float = 8.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _params(self) -> dict[str, str]:
        return {"token": self.token} if self.token else {}

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            async with self.session.request(
                method, self.base_url + path, params=self._params(), **kwargs
            ) as resp:
                if resp.status >= 400:
                    raise RasaUnavailable(f"Rasa answered {resp.status} to {path}")
                if resp.content_type == "application/json":
                    return await resp.json()
                return await resp.text()
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise RasaUnavailable(f"{path}: {exc.__class__.__name__}") from exc

    async def send(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """One turn over the REST channel; returns the bot messages (contract §4)."""
        body = {"sender": sender, "message": message, "metadata": metadata or {}}
        data = await self._request("POST", "/webhooks/rest/webhook", json=body)
        if not isinstance(data, list):
            raise RasaUnavailable("REST channel did not return a list")
        return [m for m in data if isinstance(m, dict)]

    async def resume(self, conversation_id: str) -> None:
        """Un-pause a conversation after a peer hands it back to the assistant."""
        await self._request(
            "POST",
            f"/conversations/{conversation_id}/tracker/events",
            json={"event": "resume"},
        )

    async def parse(self, text: str) -> dict[str, Any]:
        data = await self._request("POST", "/model/parse", json={"text": text})
        if not isinstance(data, dict):
            raise RasaUnavailable("parse did not return an object")
        return data

    async def ping(self) -> None:
        """Raise RasaUnavailable unless the server answers its root URL."""
        await self._request("GET", "/")
