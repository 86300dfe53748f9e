"""Rasa NLU component that turns keyboard mash into `nlu_fallback` (see bot/gibberish.py).

Place it after DIET and before the FallbackClassifier and the CrisisDetector:

    - name: bot.components.gibberish_filter.GibberishFilter

Training only records the vocabulary of the training examples. At inference a message with no
known word and a mash-shaped word ("asdfgh", "xcvb") gets intent `nlu_fallback` with
confidence 1.0 and loses the entities DIET guessed for it, so no slot is filled with mash.
Button payloads ("/request_peer") are left alone. Runs in the Rasa environment (Python 3.10).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.base import StoredComponent, intent, set_intent, typed_texts
from bot.gibberish import is_keyboard_mash, vocabulary

_FILE = "vocabulary.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class GibberishFilter(StoredComponent, IntentClassifier):
    """Marks messages made only of unknown, mash-shaped words as `nlu_fallback`.

    No options: the rules live in bot/gibberish.py. Loaded without a vocabulary, it marks
    nothing.
    """

    def _set_state(self, state: Any) -> None:
        self.known: frozenset[str] = state or frozenset()

    def train(self, training_data: TrainingData) -> Resource:
        """Records every word of the training examples."""
        self.known = vocabulary(
            example.get(TEXT) for example in training_data.intent_examples if example.get(TEXT)
        )
        self._persist()
        return self._resource

    def _write(self, directory: Path) -> None:
        (directory / _FILE).write_text(json.dumps(sorted(self.known)), encoding="utf-8")

    @classmethod
    def _read(cls, directory: Path) -> frozenset[str]:
        return frozenset(json.loads((directory / _FILE).read_text(encoding="utf-8")))

    def process(self, messages: list[Message]) -> list[Message]:
        """Turns keyboard mash into `nlu_fallback`; leaves every other message untouched."""
        if not self.known:
            return messages
        for message, text in typed_texts(messages):
            if is_keyboard_mash(text, self.known):
                _mark_fallback(message)
        return messages


def _mark_fallback(message: Message) -> None:
    ranking = [dict(i) for i in message.get(INTENT_RANKING_KEY) or []]
    fallback = intent(DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
    set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0, [fallback] + ranking)
    message.set(ENTITIES, [], add_to_output=True)
