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
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.gibberish import is_keyboard_mash, vocabulary

logger = logging.getLogger(__name__)

_FILE = "vocabulary.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class GibberishFilter(GraphComponent, IntentClassifier):
    """Marks messages made only of unknown, mash-shaped words as `nlu_fallback`."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the rules live in bot/gibberish.py."""
        return {}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        known: frozenset[str] = frozenset(),
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.known = known

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GibberishFilter:
        """A filter that knows no words until it is trained."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Records every word of the training examples."""
        self.known = vocabulary(
            example.get(TEXT) for example in training_data.intent_examples if example.get(TEXT)
        )
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _FILE).write_text(json.dumps(sorted(self.known)), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> GibberishFilter:
        """Loads the recorded vocabulary."""
        try:
            with model_storage.read_from(resource) as directory:
                known = frozenset(json.loads((directory / _FILE).read_text(encoding="utf-8")))
        except (ValueError, OSError):
            logger.warning("GibberishFilter has no vocabulary: it will mark nothing.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, known)

    def process(self, messages: list[Message]) -> list[Message]:
        """Turns keyboard mash into `nlu_fallback`; leaves every other message untouched."""
        if not self.known:
            return messages
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.lstrip().startswith("/"):
                continue
            if is_keyboard_mash(text, self.known):
                _mark_fallback(message)
        return messages


def _mark_fallback(message: Message) -> None:
    fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [dict(i) for i in message.get(INTENT_RANKING_KEY) or []]
    message.set(INTENT, fallback, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [fallback] + ranking, add_to_output=True)
    message.set(ENTITIES, [], add_to_output=True)
