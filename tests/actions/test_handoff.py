"""Handoff: queued (and paused) when a peer is online, honest and still helpful when not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from actions.handoff import ActionRequestHandoff, count_online_peers
from resources_db.national import national_lines
from tests.actions.helpers import make_tracker, payloads, rendered, run_action, texts

PRESENCE_DDL = ("CREATE TABLE peer_presence (user_id INTEGER PRIMARY KEY, display_name TEXT, "
                "status TEXT, last_seen_at DATETIME)")
SLOTS = {"needs": None, "current_need": "detox", "location": "Baltimore, MD 21201",
         "insurance": "medicaid"}


@pytest.fixture
def presence_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'presence.sqlite3'}"
    monkeypatch.setenv("RN_DATABASE_URL", url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(PRESENCE_DDL))
    yield url
    engine.dispose()


def add_peer(url: str, status: str, seen_ago: timedelta, user_id: int = 1) -> None:
    seen = (datetime.now(UTC) - seen_ago).replace(tzinfo=None)  # SQLite stores naive UTC
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO peer_presence VALUES (:id, 'Example Peer', :status, :seen)"),
            {"id": user_id, "status": status, "seen": seen})
    engine.dispose()


async def test_online_peer_queues_the_handoff_and_pauses_the_bot(presence_db: str) -> None:
    add_peer(presence_db, "online", timedelta(seconds=20))
    messages, events = await run_action(
        ActionRequestHandoff(), make_tracker(SLOTS, "can i talk to a person", "request_peer"))
    [handoff] = payloads(messages, "handoff")
    assert handoff["status"] == "queued"
    assert handoff["summary"] == {
        "needs": ["detox"], "location": "Baltimore, MD", "insurance": "medicaid",
        "notes": handoff["summary"]["notes"]}  # the web app stores it: city, not ZIP
    assert handoff["summary"]["notes"]
    assert [e["event"] for e in events] == ["pause"]
    assert "peer recovery specialist" in rendered(messages)


@pytest.mark.parametrize(("status", "seen_ago"), [
    ("online", timedelta(minutes=5)),   # stale: the console stopped reporting
    ("away", timedelta(seconds=10)),
])
async def test_nobody_really_online_means_unavailable(presence_db: str, status: str,
                                                      seen_ago: timedelta) -> None:
    add_peer(presence_db, status, seen_ago)
    assert count_online_peers() == 0
    messages, events = await run_action(
        ActionRequestHandoff(), make_tracker(SLOTS, "human please", "request_peer"))
    assert payloads(messages, "handoff")[0]["status"] == "unavailable"
    assert events == []  # not paused: the assistant keeps helping


async def test_missing_presence_table_counts_as_nobody(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RN_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    messages, events = await run_action(
        ActionRequestHandoff(), make_tracker({}, "peer", "request_peer"))
    [handoff] = payloads(messages, "handoff")
    assert handoff["status"] == "unavailable"
    assert handoff["summary"] == {"needs": [], "location": None, "insurance": None,
                                  "notes": handoff["summary"]["notes"]}
    reply = rendered(messages)
    assert "1-800-662-4357" in reply and "988" in reply
    assert "keep helping" in reply
    assert events == []


async def test_unavailable_reply_gives_only_numbers_from_the_national_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RN_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    messages, _ = await run_action(ActionRequestHandoff(), make_tracker({}, "peer",
                                                                        "request_peer"))
    known = {line["phone"] for line in national_lines() if line.get("phone")}
    for number in re.findall(r"\d[\d-]{6,}\d|\b988\b", texts(messages)):
        assert number in known


async def test_skipped_insurance_is_not_reported_as_an_answer(presence_db: str) -> None:
    add_peer(presence_db, "online", timedelta(seconds=5))
    messages, _ = await run_action(
        ActionRequestHandoff(), make_tracker({**SLOTS, "insurance": "any"}, "peer",
                                             "request_peer"))
    assert payloads(messages, "handoff")[0]["summary"]["insurance"] is None


async def test_repeated_misunderstandings_are_noted_for_the_peer(presence_db: str) -> None:
    messages, _ = await run_action(
        ActionRequestHandoff(), make_tracker(SLOTS, "asdf", "nlu_fallback"))
    assert "did not understand" in payloads(messages, "handoff")[0]["summary"]["notes"]
