"""Helpers for fault tests against real processes: start a stack, chat over a real WebSocket."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp

from devstack.processes import ROOT, Stack, free_port, http_ok
from tests.web.conftest import frames_until


def run_async(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run `coro` on a fresh event loop in a worker thread.

    These tests are synchronous on purpose: Playwright's sync API (the session's browser)
    keeps an event loop running in the main thread, where no asyncio test could then start.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@contextmanager
def fake_rasa_process() -> Iterator[str]:
    """tests/e2e/fake_rasa.py as its own process; yields its URL."""
    port = free_port()
    fake = subprocess.Popen(  # noqa: S603 (fixed argv)
        [sys.executable, str(ROOT / "tests" / "e2e" / "fake_rasa.py"), str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while not http_ok(f"{url}/") and time.monotonic() < deadline:
            time.sleep(0.1)
        yield url
    finally:
        fake.terminate()
        fake.wait(timeout=10)


def web_only_stack(rasa_url: str, env: dict[str, str], log_dir: Path) -> Stack:
    """The real web app process (python -m web) in front of the given Rasa URL."""
    port = int(rasa_url.rsplit(":", 1)[1])
    return Stack(ROOT, web_port=free_port(), rasa_port=port, components=("web",), env=env,
                 log_dir=log_dir)


def is_reply(frame: dict[str, Any]) -> bool:
    return frame.get("type") == "message" and frame.get("sender") in ("bot", "system")


class LiveChat:
    """A person's WebSocket to a running web app (same Origin, like the widget)."""

    def __init__(self, http: aiohttp.ClientSession, url: str, conversation_id: str) -> None:
        self.http = http
        self.url = url
        self.conversation_id = conversation_id
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.sent = 0
        self.replayed: list[dict[str, Any]] = []

    async def open(self, last_seq: int = 0) -> dict[str, Any]:
        self.ws = await self.http.ws_connect(f"{self.url}/ws", headers={"Origin": self.url})
        await self.ws.send_json(
            {"type": "hello", "conversation_id": self.conversation_id, "last_seq": last_seq}
        )
        frames = await frames_until(self.ws, lambda f: f.get("type") == "state", timeout=30)
        self.replayed = [f for f in frames if f.get("type") == "message"]
        return frames[-1]

    async def say(self, text: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Send `text`; frames up to the first reply (bot or system) or error."""
        assert self.ws is not None
        self.sent += 1
        await self.ws.send_json(
            {"type": "message", "client_id": f"m{self.sent}", "text": text}
        )
        return await frames_until(
            self.ws, lambda f: is_reply(f) or f.get("type") == "error", timeout=timeout
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

