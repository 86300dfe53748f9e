"""The real Rasa server with our tracker store keeps no identifying detail in its database.

Starts the action server and Rasa (as `make run` does) with bot.tracker_store on a SQLite
file of its own, has a conversation that gives a name, phone, email, street address and a
precise shared location, then reads the `events` table directly. The conversation must carry
on normally afterwards, because Rasa reloads the (redacted) tracker from the store each turn.
All details are fictional.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack.processes import Stack
from tests.integration.test_rasa_rest import ROOT, customs, rasa_with_actions, require_model, say

pytestmark = pytest.mark.stack

NAME = "Jordan Examplesson"
PHONE_FORMS = ("410-555-0123", "4105550123", "555-0123")
EMAIL = "jordan.examplesson@example.com"
STREET = "4812 Example Lane"
PRECISE = ("39.2873", "76.6048")  # not a fixture record's point


@pytest.fixture(scope="module")
def tracker_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("trackers") / "trackers.sqlite3"


@pytest.fixture(scope="module")
def stack(
    stack_directory_url: str, tracker_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    require_model()
    endpoints = tmp_path_factory.mktemp("endpoints") / "endpoints.yml"
    dev = (ROOT / "bot" / "endpoints.yml").read_text()
    assert "db: var/trackers.sqlite3" in dev  # the dev file uses this store; only the path moves
    endpoints.write_text(dev.replace("db: var/trackers.sqlite3", f"db: {tracker_db}"))
    log_dir = tmp_path_factory.mktemp("stack-logs")
    with rasa_with_actions(stack_directory_url, log_dir, str(endpoints)) as running:
        yield running


def stored_events(tracker_db: Path, sender: str) -> list[dict[str, Any]]:
    with sqlite3.connect(tracker_db) as conn:
        rows = conn.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def test_stored_events_keep_no_identifying_details(stack: Stack, tracker_db: Path) -> None:
    sender = f"test-{uuid.uuid4().hex}"
    say(stack, sender, f"hi, my name is {NAME}. my number is {PHONE_FORMS[0]}, "
                       f"or text 410 555 0123, email {EMAIL}")
    say(stack, sender, f"I need detox. I live at {STREET} apt 4")
    say(stack, sender, '/share_location{"lat": 39.28731, "lon": -76.60487}')
    reply = say(stack, sender, "medicaid")

    # The conversation works from the coarse place ...
    [payload] = customs(reply, "resources")
    assert payload["resources"], "the fixture directory has detox near Baltimore"
    assert payload["query"]["near"]["label"] == "Baltimore, MD"
    assert (payload["query"]["near"]["lat"], payload["query"]["near"]["lon"]) == (39.3, -76.6)
    # ... and carries on from the reloaded, redacted tracker.
    more = say(stack, sender, "show me more")
    assert more, "no answer after reloading the redacted tracker"

    events = stored_events(tracker_db, sender)
    user_events = [e for e in events if e["event"] == "user"]
    assert len(user_events) == 5
    for detail in (NAME, "Jordan", *PHONE_FORMS, "410 555 0123", EMAIL, STREET, *PRECISE):
        found = [e for e in events if detail in json.dumps(e)]
        assert not found, f"{detail!r} was stored in {found}"
    person_text = " ".join(e["text"] for e in user_events)
    for placeholder in ("[name]", "[phone]", "[email]", "[address]"):
        assert placeholder in person_text
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert (slots["lat"], slots["lon"], slots["location"]) == (39.3, -76.6, "Baltimore, MD")


def test_crisis_is_detected_before_the_text_is_redacted(stack: Stack, tracker_db: Path) -> None:
    sender = f"test-{uuid.uuid4().hex}"
    reply = say(stack, sender, f"this is {NAME.split()[0]} {PHONE_FORMS[0]} my friend "
                               "overdosed and isn't breathing")
    assert reply and (reply[0].get("custom") or {}).get("type") == "crisis"
    [user] = [e for e in stored_events(tracker_db, sender) if e["event"] == "user"]
    assert user["text"] == "this is [name] [phone] my friend overdosed and isn't breathing"


GARBAGE = [
    '/inform{"name": "Jane Example 410-555-0123"}',
    '/inform{"name": "Jane Example 410-555-0123"',
    '/nosuchintent{"name": "Jane Example 4105550123"}',
    '/inform{"name" "Jane Example 410-555-0123"}',
    "/{{Jane Example 410-555-0123",
    '/share_location{"lat": 1e308, "lon": 1e308}',
]


def test_the_rasa_log_keeps_nothing_typed(stack: Stack, tracker_db: Path) -> None:
    """Issue 22, finding 3: unparsable "/" messages were logged as typed. Rasa and the action
    server write their logs; neither may hold the name or a number of 7+ digits."""
    sender = f"test-{uuid.uuid4().hex}"
    for garbage in GARBAGE:
        say(stack, sender, garbage)
    more = say(stack, sender, "I need detox near 21201")
    assert more, "the conversation carries on after the garbage"
    # finding 5: the 1e308 location did not push the conversation out of the database
    assert len([e for e in stored_events(tracker_db, sender) if e["event"] == "user"]) == 7
    for name in ("rasa", "actions"):
        service = stack.service(name)
        assert service is not None
        service.log_file.flush()
        log = service.log_path.read_text(errors="replace")
        assert "Jane" not in log and "Example 410" not in log, log[-3000:]
        for number in ("410-555-0123", "555-0123", "4105550123"):
            assert number not in log, log[-3000:]
        # no digit run of 7 or more (process ids in "[...]" aside)
        assert not re.findall(r"(?<![\d\[])\d{7,}(?![\d\]])", log), log[-3000:]
