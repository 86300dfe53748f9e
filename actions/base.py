"""What every custom action here shares: its name as a class attribute, and a `respond` that
does the work without the domain (no action reads it).

rasa-sdk registers every concrete `Action` subclass it finds in the package; `NamedAction`
itself is abstract (it has no `respond`), so rasa-sdk skips it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class NamedAction(Action, ABC):
    """An action named by `action_name` whose work is `respond(dispatcher, tracker)`."""

    #: The name the domain, rules and stories use.
    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """rasa-sdk's entry point (it passes the domain, which no action here reads)."""
        return await self.respond(dispatcher, tracker)

    @abstractmethod
    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        """The events of this turn; messages go to `dispatcher`."""
