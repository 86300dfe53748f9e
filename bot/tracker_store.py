"""Rasa's SQL tracker store, keeping only redacted events (docs/privacy.md).

Rasa Open Source stores every event of a conversation as it happened, including the raw text
of each message. This store writes each new event through `bot.redaction.redact_event`
first, so the database never holds a phone number, email, street address, self-given name,
a ZIP finer than ZIP3 or coordinates finer than 0.1 degree.

The conversation still works: within a turn the assistant (and its crisis detector) uses
the tracker in memory, as typed; from the next turn on, Rasa reloads the redacted events,
whose slots (need, city label, coarse point, results page) are all a conversation needs.
The number of events is unchanged, which is how `SQLTrackerStore` finds the new ones.

Configured in bot/endpoints.yml (SQLite under var/) and bot/endpoints.production.yml
(PostgreSQL) as `type: bot.tracker_store.RedactingSQLTrackerStore`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.redaction import redact_event


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose `save` writes redacted copies of the new events."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("dialect", "sqlite") == "sqlite" and not kwargs.get("host"):
            # SQLite does not create the folder of its file (var/ on a fresh checkout).
            Path(str(kwargs.get("db", "rasa.db"))).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(*args, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Like `SQLTrackerStore.save`, with each new event redacted before it is written."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redact_event(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(
                            INTENT_NAME_KEY
                        ),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
