"""Two actions for tests/actions/test_action_metrics.py (never shipped): one answers, one fails."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionThatAnswers(Action):
    def name(self) -> str:
        return "action_that_answers"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text="Example answer.")
        return []


class ActionThatFails(Action):
    def name(self) -> str:
        return "action_that_fails"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        # quotes the conversation id and what the person typed, as a careless error might
        text = tracker.latest_message.get("text")
        raise RuntimeError(f"an example failure in {tracker.sender_id}: {text}")
