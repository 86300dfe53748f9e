"""Fetching a published feed (a Meeting Guide JSON URL) into a temporary file for an importer.

aiohttp is the HTTP client the project already depends on; the fetch has a total timeout and
a size limit, and follows at most a few redirects.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

TIMEOUT_SECONDS = 30.0
#: the largest feeds (big intergroups) are a few MB
MAX_BYTES = 50 * 1024 * 1024


class FetchError(OSError):
    """The feed could not be fetched (the CLI prints it and exits 1)."""


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    """An answer to a (conditional) GET: 200 with a body, or 304 with none."""

    status: int
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


async def _get(
    url: str, timeout: float, max_bytes: int, extra: Mapping[str, str] | None = None
) -> Fetched:
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    headers = {"Accept": "application/json", "User-Agent": "recovery-navigator-import"}
    async with (
        aiohttp.ClientSession(timeout=client_timeout, headers=headers) as session,
        session.get(url, max_redirects=5, headers=dict(extra or {})) as response,
    ):
        if response.status == 304 and extra:
            return Fetched(304, b"")
        if response.status != 200:
            raise FetchError(f"{url} answered HTTP {response.status}")
        data = bytearray()
        async for chunk in response.content.iter_chunked(65536):
            data += chunk
            if len(data) > max_bytes:
                raise FetchError(f"{url} is larger than {max_bytes} bytes")
        return Fetched(
            200,
            bytes(data),
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
        )


def _run(url: str, timeout: float, max_bytes: int, extra: Mapping[str, str] | None) -> Fetched:
    try:
        return _run_to_end(lambda: asyncio.run(_get(url, timeout, max_bytes, extra)))
    except TimeoutError:
        raise FetchError(f"{url} did not answer within {timeout:g} s") from None
    except aiohttp.ClientError as error:
        raise FetchError(f"could not fetch {url}: {error}") from None


def _run_to_end(call: Callable[[], Fetched]) -> Fetched:
    """Runs `call` here, or in a worker thread when this thread already runs an event loop
    (asyncio.run() refuses to start a second loop in one thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def fetch_if_changed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
) -> Fetched:
    """A conditional GET: status 304 (no body) when the validators still hold, else the
    200 body with its new validators; FetchError as `fetch`."""
    extra = {}
    if etag:
        extra["If-None-Match"] = etag
    if last_modified:
        extra["If-Modified-Since"] = last_modified
    return _run(url, timeout, max_bytes, extra)


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of `url`, or FetchError (HTTP error, timeout, unreachable, too large)."""
    return _run(url, timeout, max_bytes, None).body


@contextmanager
def fetched(url: str, *, timeout: float = TIMEOUT_SECONDS) -> Iterator[Path]:
    """`url`'s body as a .json file in a private temporary folder, removed afterwards."""
    data = fetch(url, timeout=timeout)
    with tempfile.TemporaryDirectory(prefix="rn-fetch-") as folder:
        path = Path(folder) / "feed.json"
        path.write_bytes(data)
        yield path
