"""The redacting tracker store with Rasa's own classes, without a server (issue 22, finding 5).

`/share_location{"lat": 1e308, "lon": 1e308}` made the store fail; Rasa's FailSafeTrackerStore
then kept that conversation in memory only, silently. Now such numbers are cleaned before they
reach the store, and a store that fails raises instead of falling back. The checks run in the
Rasa environment (Python 3.10) in one subprocess; the data are fictional.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import asyncio, json, sqlite3, sys
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from bot.tracker_store import RedactingSQLTrackerStore, TrackerStoreFailed, _handle_message

db = sys.argv[1]
domain = Domain.load("bot/domain")
out = {}

def user(text, entities):
    return UserUttered(text, intent={"name": "share_location", "confidence": 1.0},
                       entities=entities,
                       parse_data={"text": text, "entities": entities,
                                   "intent": {"name": "share_location", "confidence": 1.0}})

def rows(sender):
    with sqlite3.connect(db) as conn:
        return [json.loads(d) for (d,) in conn.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,))]

async def main():
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    wrapped = Agent._create_tracker_store(store, domain)  # as Rasa wraps every store
    hostile = [
        user('/share_location{"lat": 1e308, "lon": 1e308}',
             [{"entity": "lat", "value": 1e308}, {"entity": "lon", "value": 1e308}]),
        SlotSet("lat", 1e308), SlotSet("lon", float("nan")),
        SlotSet("location_attempt", float("inf")), SlotSet("results_total", 10 ** 400),
        SlotSet("lat", 91.0), SlotSet("lon", -180.5), SlotSet("lat", "39.287312"),
    ]
    await wrapped.save(DialogueStateTracker.from_events("hostile", hostile, domain.slots))
    out["hostile"] = rows("hostile")
    out["fell_back"] = wrapped._fallback_tracker_store is not None

    # Street and name fragments tagged as entities or set as slots are redacted too.
    text = "I'm Jane Example, I stay at 4812 Example Road apt 4"
    fragments = [
        UserUttered(text, intent={"name": "inform", "confidence": 1.0},
                    entities=[{"entity": "location", "value": "Example Road"}],
                    parse_data={"text": text, "intent": {"name": "inform", "confidence": 1.0},
                                "entities": [{"entity": "location", "value": "Example Road"}]}),
        SlotSet("location_attempt", "Example Road"), SlotSet("population", "Jane"),
    ]
    await wrapped.save(DialogueStateTracker.from_events("fragments", fragments, domain.slots))
    out["fragments"] = rows("fragments")

    # A store that cannot write: an error, never a silent in-memory copy.
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE events")
    tracker = DialogueStateTracker.from_events("broken", [SlotSet("needs", ["detox"])])
    try:
        await wrapped.save(tracker)
        out["save_failure"] = "no error"
    except TrackerStoreFailed as error:
        out["save_failure"] = type(error.__cause__).__name__
    try:
        await wrapped.retrieve("broken")
        out["retrieve_failure"] = "no error"
    except TrackerStoreFailed as error:
        out["retrieve_failure"] = type(error.__cause__).__name__
    out["fell_back_after_failure"] = wrapped._fallback_tracker_store is not None

    # The turn that hit the failure answers with nothing (the relay's kind fallback follows).
    async def failing(processor, message):
        await message.output_channel.send_text_message(message.sender_id, "reply never stored")
        raise TrackerStoreFailed("OperationalError")
    channel = CollectingOutputChannel()
    out["turn_replies"] = await _handle_message(failing)(None, UserMessage("hi", channel, "s"))

asyncio.run(main())
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    rasa_python = ROOT / ".venv-rasa" / "bin" / "python"
    if not rasa_python.exists():
        pytest.skip("no Rasa environment (.venv-rasa)")
    db = tmp_path_factory.mktemp("trackers") / "trackers.sqlite3"
    result = subprocess.run(  # noqa: S603 (fixed argv)
        [str(rasa_python), "-c", SCRIPT, str(db)], cwd=ROOT, capture_output=True, text=True,
        timeout=600, check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
             "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_out_of_range_numbers_are_stored_as_nothing(results: dict[str, Any]) -> None:
    stored = results["hostile"]
    assert not results["fell_back"], "the conversation went to the in-memory fallback"
    assert len(stored) == 8, stored  # nothing lost: every event is in the database
    user = stored[0]
    assert user["text"] == '/share_location{"lat": null, "lon": null}'
    assert [e["value"] for e in user["parse_data"]["entities"]] == [None, None]
    slots = [(e["name"], e["value"]) for e in stored[1:]]
    assert slots == [("lat", None), ("lon", None), ("location_attempt", None),
                     ("results_total", None), ("lat", None), ("lon", None), ("lat", 39.3)]


def test_name_and_street_fragments_in_slots_and_entities_are_redacted(
    results: dict[str, Any],
) -> None:
    user, *slots = results["fragments"]
    assert user["text"] == "I'm [name], I stay at [address]"
    assert [e["value"] for e in user["parse_data"]["entities"]] == ["[address]"]
    assert [(e["name"], e["value"]) for e in slots] == [
        ("location_attempt", "[address]"), ("population", "[name]")]
    assert "Jane" not in json.dumps(results["fragments"])
    assert "Example Road" not in json.dumps(results["fragments"])


def test_a_failing_store_is_an_error_not_a_silent_fallback(results: dict[str, Any]) -> None:
    assert results["save_failure"] == "OperationalError"
    assert results["retrieve_failure"] == "OperationalError"
    assert not results["fell_back_after_failure"]


def test_the_failed_turn_answers_with_nothing(results: dict[str, Any]) -> None:
    # The web relay answers an empty turn with "Sorry, the assistant can't answer right now"
    # and the helplines (tests/web: the empty-turn fallback).
    assert results["turn_replies"] == []
