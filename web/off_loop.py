"""The web app's blocking database calls, run off the event loop with a time limit.

SQLAlchemy here is synchronous. Called on the event loop, one query waiting on a locked
database froze every socket of the app, other people's pings included (issue 22, finding 6).
Every call the relay and the sockets make goes through `off_loop`: a worker thread of the
app's own small pool (so directory searches, which use the default pool, still get threads),
and an answer within `timeout` seconds or `DatabaseTimeout`, which the relay treats like any
database error (the person gets a kind "try again" with phone lines; nothing is lost).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

P = ParamSpec("P")
R = TypeVar("R")

#: Threads for the web tables. A call stuck on a lock keeps its thread until the driver's own
#: busy timeout; the pool is sized so a few stuck calls leave room for the rest.
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="web-db")


class DatabaseTimeout(SQLAlchemyError):
    """The database did not answer within the web app's time limit."""


async def off_loop(timeout: float, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`fn(*args, **kwargs)` in a worker thread; DatabaseTimeout after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    # in the caller's context, as asyncio.to_thread does: log lines keep their conversation
    context = contextvars.copy_context()
    future = loop.run_in_executor(_POOL, functools.partial(context.run, fn, *args, **kwargs))
    try:
        return await asyncio.wait_for(future, timeout)
    except TimeoutError as exc:
        raise DatabaseTimeout(f"no answer within {timeout:g} s") from exc
