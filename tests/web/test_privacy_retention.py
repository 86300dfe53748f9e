"""Retention: old conversations leave both stores; handoffs in progress stay (controlled clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update

from resources_db.db import session_scope
from web.__main__ import main
from web.config import ConfigError, WebConfig
from web.db import upgrade
from web.models import Conversation
from web.retention import purge
from web.store import ConversationStore

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OLD = datetime(2026, 1, 15, tzinfo=UTC)  # 45 days before NOW
RECENT = datetime(2026, 2, 20, tzinfo=UTC)  # 9 days before NOW

# Rasa 3.6's SQLTrackerStore table, as Rasa creates it.
RASA_EVENTS = """CREATE TABLE events (
    id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


@pytest.fixture
def config(tmp_path: Path) -> WebConfig:
    config = WebConfig(
        database_url=f"sqlite:///{tmp_path / 'web.sqlite3'}",
        tracker_database_url=f"sqlite:///{tmp_path / 'trackers.sqlite3'}",
        retention_days=30,
    )
    upgrade(config.database_url)
    with create_engine(config.tracker_database_url).begin() as conn:
        conn.execute(text(RASA_EVENTS))
    return config


def conversation(config: WebConfig, cid: str, last_active: datetime, state: str = "bot") -> None:
    """A conversation in both stores whose last message was at `last_active`."""
    ConversationStore(config.database_url).append(cid, "person", "I need detox")
    with session_scope(config.database_url) as session:
        session.execute(
            update(Conversation).where(Conversation.id == cid)
            .values(updated_at=last_active, state=state)
        )
    with create_engine(config.tracker_database_url).begin() as conn:
        for offset in (3600.0, 0.0):  # an earlier and the latest event
            conn.execute(
                text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                     "VALUES (:s, 'user', :t, '{}')"),
                {"s": cid, "t": last_active.timestamp() - offset},
            )


def web_ids(config: WebConfig) -> set[str]:
    with session_scope(config.database_url) as session:
        return set(session.scalars(text("SELECT id FROM web_conversations")))


def tracker_ids(config: WebConfig) -> set[str]:
    with create_engine(config.tracker_database_url).connect() as conn:
        return set(conn.execute(text("SELECT DISTINCT sender_id FROM events")).scalars())


def test_conversations_past_the_retention_period_are_deleted_from_both_stores(
    config: WebConfig,
) -> None:
    conversation(config, "example-old-conversation-01", OLD)
    conversation(config, "example-recent-conversation", RECENT)

    result = purge(config, now=NOW)

    assert (result.web_conversations, result.tracker_conversations) == (1, 1)
    assert web_ids(config) == tracker_ids(config) == {"example-recent-conversation"}
    assert ConversationStore(config.database_url).since("example-old-conversation-01") == []


def test_a_waiting_or_live_handoff_is_kept_however_old(config: WebConfig) -> None:
    conversation(config, "example-old-waiting-000001", OLD, state="waiting")
    conversation(config, "example-old-with-peer-00001", OLD, state="with_peer")
    conversation(config, "example-old-closed-0000001", OLD, state="closed")

    purge(config, now=NOW)

    kept = {"example-old-waiting-000001", "example-old-with-peer-00001"}
    assert web_ids(config) == tracker_ids(config) == kept


def test_the_period_comes_from_the_setting(config: WebConfig) -> None:
    conversation(config, "example-recent-conversation", RECENT)
    week = WebConfig(database_url=config.database_url,
                     tracker_database_url=config.tracker_database_url, retention_days=7)
    purge(week, now=NOW)
    assert web_ids(config) == tracker_ids(config) == set()


def test_purging_before_rasa_ever_ran_leaves_no_tracker_file(tmp_path: Path) -> None:
    config = WebConfig(database_url=f"sqlite:///{tmp_path / 'web.sqlite3'}",
                       tracker_database_url=f"sqlite:///{tmp_path / 'none.sqlite3'}")
    upgrade(config.database_url)
    assert purge(config, now=NOW).tracker_conversations == 0
    assert not (tmp_path / "none.sqlite3").exists()


@pytest.mark.parametrize("raw", ["0", "-3", "thirty"])
def test_a_bad_retention_setting_is_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="RN_RETENTION_DAYS"):
        WebConfig.from_env({"RN_RETENTION_DAYS": raw})


def test_the_purge_command(
    config: WebConfig, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    conversation(config, "example-old-conversation-01", OLD)  # old by the real clock too
    monkeypatch.setenv("RN_DATABASE_URL", config.database_url)
    monkeypatch.setenv("RN_TRACKER_DATABASE_URL", config.tracker_database_url)
    monkeypatch.setenv("RN_RETENTION_DAYS", "30")
    assert main(["purge"]) == 0
    assert "deleted 1 web and 1 tracker conversations" in capsys.readouterr().out
    assert web_ids(config) == tracker_ids(config) == set()
