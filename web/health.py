"""What /healthz checks: the database answers *and* takes writes, Rasa answers, the action
server answers (when `RN_ACTION_URL` is set).

A SELECT alone said "ok" for a read-only or full database, on which no message can be stored
(issue 22, finding 9). The write check rewrites the one row of the web app's migration version
table with its own value inside a committed transaction: a real write (SQLite journals the
page, PostgreSQL writes a new row version to its WAL) that changes nothing.
"""

from __future__ import annotations

import asyncio

import aiohttp
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from resources_db.db import get_engine
from web.db import VERSION_TABLE
from web.rasa_client import RasaClient, RasaUnavailable

CHECK_TIMEOUT_SECONDS = 5.0
#: how SQLite and PostgreSQL word a refused write (vs. a lost connection)
READ_ONLY_MARKERS = ("readonly", "read-only", "read only", "disk is full", "no space left")


def database_state(url: str) -> str:
    """'ok', 'read_only' (answers, but a write fails) or 'down'."""
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return "down"
    try:
        with engine.begin() as conn:
            conn.execute(
                text(f"UPDATE {VERSION_TABLE} SET version_num = version_num")  # noqa: S608
            )
    except OperationalError as exc:
        message = str(exc.orig).lower()
        return "read_only" if any(m in message for m in READ_ONLY_MARKERS) else "down"
    except SQLAlchemyError:
        return "read_only"
    return "ok"


async def check_database(url: str) -> str:
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(database_state, url), timeout=CHECK_TIMEOUT_SECONDS
        )
    except Exception:
        return "down"


async def check_rasa(rasa: RasaClient) -> str:
    try:
        await rasa.ping()
    except RasaUnavailable:
        return "down"
    return "ok"


async def check_actions(action_url: str) -> str:
    """GET /health of the action server (its webhook URL with /webhook replaced)."""
    base = action_url.rstrip("/").removesuffix("/webhook")
    timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT_SECONDS)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(base + "/health") as response,
        ):
            return "ok" if response.status == 200 else "down"
    except (TimeoutError, aiohttp.ClientError):
        return "down"
