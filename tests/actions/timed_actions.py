"""Two actions for the action server's tests (never shipped): one answers, one fails.

tests/actions/test_action_metrics.py times and counts them; tests/security/test_action_server.py
checks that the failure's details (the exception, what the person typed) stay out of the 500.
"""

from __future__ import annotations

import abc
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ExampleAction(Action, abc.ABC):
    """An action named by `action_name` that says what `answer` returns.

    Abstract, so rasa-sdk's executor (which registers every concrete subclass of Action in
    the module) registers only the two below.
    """

    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=self.answer(tracker))
        return []

    @abc.abstractmethod
    def answer(self, tracker: Tracker) -> str:
        """The text said to the person."""


class ActionThatAnswers(ExampleAction):
    action_name = "action_that_answers"

    def answer(self, tracker: Tracker) -> str:
        return "Example answer."


class ActionThatFails(ExampleAction):
    action_name = "action_that_fails"

    def answer(self, tracker: Tracker) -> str:
        # quotes the conversation id and what the person typed, as a careless error might
        text = tracker.latest_message.get("text")
        raise RuntimeError(f"internal detail: an example failure in {tracker.sender_id}: {text}")
