"""Handoff: the action only asks ("requested", with the summary); the web app decides whether a
peer is available (web/relay_person.py) and words the answer (docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from actions.handoff import ActionRequestHandoff
from tests.actions.helpers import make_tracker, payloads, responses, run_action

PRESENCE_DDL = ("CREATE TABLE peer_presence (user_id INTEGER PRIMARY KEY, display_name TEXT, "
                "status TEXT, last_seen_at DATETIME)")
SLOTS = {"needs": None, "current_need": "detox", "location": "Baltimore, MD 21201",
         "insurance": "medicaid"}


@pytest.fixture
def presence_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The web app's presence table, as the action server's database would hold it."""
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


async def ask(slots: dict[str, Any] | None = None, message: str = "can i talk to a person",
              intent: str = "request_peer") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return await run_action(ActionRequestHandoff(), make_tracker(slots, message, intent))


async def test_the_reply_is_the_same_request_with_a_peer_online_or_not(presence_db: str) -> None:
    """The action no longer reads peer presence: whoever is online, it only asks."""
    nobody = await ask(SLOTS)
    add_peer(presence_db, "online", timedelta(seconds=20))
    someone = await ask(SLOTS)
    assert nobody == someone
    messages, events = someone
    [handoff] = payloads(messages, "handoff")
    assert handoff["status"] == "requested"
    assert events == []  # not paused: the web app stops relaying to Rasa while a person waits


async def test_no_wording_about_availability(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Not even a database: the web app says whether someone is free, in its own words."""
    monkeypatch.setenv("RN_DATABASE_URL", "sqlite:////nonexistent/folder/none.sqlite3")
    messages, events = await ask(SLOTS)
    assert [m.get("custom", {}).get("status") for m in messages] == ["requested"]
    assert not any(m.get("text") or m.get("response") or m.get("buttons") for m in messages)
    assert events == []


async def test_the_summary_is_what_the_peer_needs_coarsely(presence_db: str) -> None:
    messages, _ = await ask(SLOTS)
    [handoff] = payloads(messages, "handoff")
    assert handoff["summary"] == {
        "needs": ["detox"], "location": "Baltimore, MD", "insurance": "medicaid",
        "notes": handoff["summary"]["notes"]}  # the web app stores it: city, not ZIP
    assert handoff["summary"]["notes"]


async def test_an_empty_conversation_still_has_a_summary(presence_db: str) -> None:
    messages, _ = await ask({}, "peer")
    [handoff] = payloads(messages, "handoff")
    assert handoff["summary"] == {"needs": [], "location": None, "insurance": None,
                                  "notes": "Asked to talk with a peer."}


async def test_skipped_insurance_is_not_reported_as_an_answer(presence_db: str) -> None:
    messages, _ = await ask({**SLOTS, "insurance": "any"}, "peer")
    assert payloads(messages, "handoff")[0]["summary"]["insurance"] is None


async def test_repeated_misunderstandings_are_noted_for_the_peer(presence_db: str) -> None:
    messages, _ = await ask(SLOTS, "asdf", "nlu_fallback")
    assert "did not understand" in payloads(messages, "handoff")[0]["summary"]["notes"]


def test_the_domain_no_longer_words_availability() -> None:
    """The web app's catalog (web/notices.py, web/locale/) words queued and unavailable."""
    assert not [name for name in responses() if name.startswith("utter_handoff_")]
