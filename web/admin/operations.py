"""Run one audited directory edit: the change and its audit entry commit together."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from resources_db.db import session_scope
from resources_db.editing import Change, snapshot
from web.audit import record

Edit = Callable[[Session], Change]
T = TypeVar("T")
#: an edit of one service at the version its editor loaded, given one more value (a status, a
#: date, the parsed form): `editing.set_status`, `editing.mark_verified`, `editing.update_service`
VersionedEdit = Callable[[Session, str, int, T], Change]


def _run(database_url: str, actor: str, edit: Edit) -> Change:
    with session_scope(database_url) as session:
        change = edit(session)
        record(session, actor, change)
        return change


async def apply(database_url: str, actor: str, edit: Edit) -> Change:
    """Run `edit` in a worker thread; EditError subclasses pass through to the caller."""
    return await asyncio.to_thread(_run, database_url, actor, edit)


def _read(database_url: str, reader: Callable[[Session], Any]) -> Any:
    with session_scope(database_url) as session:
        return reader(session)


async def read(database_url: str, reader: Callable[[Session], Any]) -> Any:
    return await asyncio.to_thread(_read, database_url, reader)


async def service_snapshot(database_url: str, service_id: str) -> dict[str, Any]:
    result: dict[str, Any] = await read(database_url, lambda s: snapshot(s, service_id))
    return result


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
