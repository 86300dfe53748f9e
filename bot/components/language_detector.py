"""Rasa NLU component that adds an entity `chat_language` (en | es) to every message whose
words say which language it is in (core/language.py); nothing when they don't ("21224").

The entity fills the `chat_language` slot, whose value picks the domain responses'
conditional variations, so the assistant answers in the language the person writes in. The
entity does not influence the dialogue (domain: `influence_conversation: false`), so the
policies predict the same next action in both languages. Place it before the CrisisDetector,
which sets its own `chat_language` for a crisis message:

    - name: bot.components.language_detector.LanguageDetector

Rules, no training. Button payloads ("/request_peer") are left alone. Runs in the Rasa
environment (Python 3.10).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from core.language import read_language

LANGUAGE_ENTITY = "chat_language"
EXTRACTOR_NAME = "LanguageDetector"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    """Adds `chat_language` for messages whose language can be read; rules, no training."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the word lists live in core/language.py."""
        return {}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """Creates the component (nothing to train or load)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the entity where the words tell the language; leaves the others untouched."""
        for message in messages:
            text = message.get(TEXT)
            language = read_language(text) if isinstance(text, str) else None
            if language is None:
                continue
            entity = {
                ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: language,
                ENTITY_ATTRIBUTE_START: 0,
                ENTITY_ATTRIBUTE_END: len(text),
                EXTRACTOR: EXTRACTOR_NAME,
            }
            others = [e for e in message.get(ENTITIES) or []
                      if e.get(ENTITY_ATTRIBUTE_TYPE) != LANGUAGE_ENTITY]
            message.set(ENTITIES, others + [entity], add_to_output=True)
        return messages
