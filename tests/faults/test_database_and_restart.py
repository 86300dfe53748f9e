"""The database goes away under the real web app process, and the web app is restarted.

The web app runs as its own process (`python -m web`, started by devstack) in front of the
fake Rasa of the browser tests; these faults are the web app's own, so the real Rasa is not
needed here (tests/faults/test_stack_assistant_down.py stops and restarts that one).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy as sa

from devstack.processes import Stack
from tests.e2e.conftest import create_peer, secrets_env
from tests.faults.live import LiveChat, fake_rasa_process, run_async, web_only_stack
from tests.web.conftest import next_frame
from web.accounts import start_session
from web.models import User

pytestmark = [pytest.mark.stack]
PG_SERVER = os.environ.get(
    "RN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def admin_engine() -> sa.Engine:
    return sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")


def postgres_or_skip() -> sa.Engine:
    engine = admin_engine()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"no PostgreSQL at {PG_SERVER}: {exc.__class__.__name__}")
    return engine


def set_connections(engine: sa.Engine, name: str, allowed: bool) -> None:
    """Make one database refuse (or accept again) every connection, and cut the open ones."""
    with engine.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
        if not allowed:
            conn.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"),
                {"name": name},
            )


@pytest.fixture(scope="module")
def pg_database() -> Iterator[tuple[sa.Engine, str, str]]:
    """A PostgreSQL database of this module's own (a unique name: other tests share the server)."""
    engine = postgres_or_skip()
    name = f"rn_faults_{uuid.uuid4().hex[:10]}"
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        yield engine, name, url
    finally:
        set_connections(engine, name, True)
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="module")
def rasa_url() -> Iterator[str]:
    with fake_rasa_process() as url:
        yield url


async def health(http: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, str]]:
    async with http.get(f"{url}/healthz") as response:
        return response.status, await response.json()


def test_database_down_gives_503_and_a_kind_message_then_recovers(
    pg_database: tuple[sa.Engine, str, str], rasa_url: str, tmp_path: Path
):
    run_async(database_down(pg_database, rasa_url, tmp_path))


async def database_down(
    pg_database: tuple[sa.Engine, str, str], rasa_url: str, tmp_path: Path
) -> None:
    engine, name, database_url = pg_database
    with web_only_stack(rasa_url, secrets_env(database_url), tmp_path / "log") as stack:
        async with aiohttp.ClientSession() as http:
            chat = LiveChat(http, stack.web_url, "example-fault-database-01")
            await chat.open()
            assert (await chat.say("hi"))[-1]["text"] == "echo: hi"

            set_connections(engine, name, False)
            try:
                started = time.monotonic()
                status, body = await health(http, stack.web_url)
                assert (status, body["database"]) == (503, "down")
                print(f"\ndatabase down: /healthz 503 after {time.monotonic() - started:.2f} s")
                started = time.monotonic()
                error = (await chat.say("are you there?"))[-1]
                print(f"database down: kind error after {time.monotonic() - started:.2f} s")
                assert error["type"] == "error" and error["code"] == "unavailable"
                assert "988" in error["message"] and "1-800-662-4357" in error["message"]
            finally:
                set_connections(engine, name, True)

            status, body = await health(http, stack.web_url)
            assert (status, body["database"]) == (200, "ok")
            frames = await chat.say("are you there?")
            # Nothing was stored while the database was away: the chat goes on from seq 3.
            assert [f["seq"] for f in frames if f["type"] == "message"] == [3, 4]
            assert frames[-1]["text"] == "echo: are you there?"
            await chat.close()


def test_restarting_the_web_app_keeps_waiting_people_and_peer_sessions(
    rasa_url: str, tmp_path: Path
):
    run_async(restart_web(rasa_url, tmp_path))


async def restart_web(rasa_url: str, tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    from resources_db.db import session_scope, upgrade_database

    upgrade_database(database_url)
    create_peer(database_url)
    stack: Stack = web_only_stack(rasa_url, secrets_env(database_url), tmp_path / "log")
    with stack:
        with session_scope(database_url) as session:
            peer = session.scalars(sa.select(User)).one()
            session.expunge(peer)
        cookie = {"Cookie": f"rn_session={start_session(database_url, peer).token}"}
        async with aiohttp.ClientSession() as http:
            person = LiveChat(http, stack.web_url, "example-fault-restart-001")
            await person.open()
            await person.say("/request_peer")
            started = time.monotonic()
            stack.stop_service("web")
            stack.start_service("web", timeout=60)
            print(f"\nweb app restarted in {time.monotonic() - started:.2f} s")

            # The person's widget reconnects and is still in line, with the whole transcript.
            state = await person.open(last_seq=0)
            assert (state["state"], state["position"]) == ("waiting", 1)
            assert [m["seq"] for m in person.replayed] == [1, 2]
            async with http.get(f"{stack.web_url}/peer", headers=cookie,
                                allow_redirects=False) as console:
                assert console.status == 200  # still signed in: no redirect to the sign-in page
            peer_ws = await http.ws_connect(
                f"{stack.web_url}/peer/ws", headers={**cookie, "Origin": stack.web_url}
            )
            queue = await next_frame(peer_ws, "queue", timeout=30)
            assert [item["conversation_id"] for item in queue["items"]] == [
                person.conversation_id
            ]
            await peer_ws.send_json({"type": "claim", "conversation_id": person.conversation_id})
            assert person.ws is not None
            joined = await next_frame(person.ws, "state", timeout=30)
            while joined["state"] != "with_peer":
                joined = await next_frame(person.ws, "state", timeout=30)
            assert joined["peer_name"] == "Sam"
            await peer_ws.close()
            await person.close()
