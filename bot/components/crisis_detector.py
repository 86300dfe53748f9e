"""Rasa NLU component that overrides the intent with `crisis` when core.crisis fires.

Place it LAST in the NLU pipeline (after DIET and the entity extractors), so that no trained
model can outvote a message that signals an overdose, suicide risk or immediate danger:

    - name: bot.components.crisis_detector.CrisisDetector

For such a message the intent becomes {"name": "crisis", "confidence": 1.0}, the intent the
classifiers chose moves to second place in `intent_ranking`, and an entity `crisis_kind`
(overdose | suicide | danger) is added, with an entity `chat_language` (en | es: which
language's rules read it) so the crisis reply is worded in that language (the domain's
conditional response variations on the `chat_language` slot). Button payloads
("/request_peer") are left alone.
Runs in the Rasa environment (Python 3.10).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from core.crisis import CrisisSignal, detect_crisis, locate

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
CRISIS_ENTITY = "crisis_kind"
LANGUAGE_ENTITY = "chat_language"
EXTRACTOR_NAME = "CrisisDetector"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisDetector(GraphComponent, IntentClassifier):
    """Sets intent `crisis` and entity `crisis_kind` for crisis messages; rules, no training."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the rules live in core/crisis/."""
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
    ) -> CrisisDetector:
        """Creates the component (nothing to train or load)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Marks every message that signals a crisis; leaves the others untouched."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.lstrip().startswith("/"):
                continue
            signal = detect_crisis(text)
            if signal is not None:
                logger.debug("crisis %s by rule %s", signal.kind, signal.rule)
                _mark_crisis(message, text, signal)
        return messages


def _mark_crisis(message: Message, text: str, signal: CrisisSignal) -> None:
    crisis = {INTENT_NAME_KEY: CRISIS_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = _ranking_with_crisis_first(
        message.get(INTENT_RANKING_KEY), message.get(INTENT), crisis
    )
    message.set(INTENT, crisis, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
    start, end = locate(text, signal)
    entity = {
        ENTITY_ATTRIBUTE_TYPE: CRISIS_ENTITY,
        ENTITY_ATTRIBUTE_VALUE: signal.kind,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        EXTRACTOR: EXTRACTOR_NAME,
    }
    language = {**entity, ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: signal.language}
    entities = message.get(ENTITIES) or []
    others = [e for e in entities
              if e.get(ENTITY_ATTRIBUTE_TYPE) not in (CRISIS_ENTITY, LANGUAGE_ENTITY)]
    message.set(ENTITIES, others + [entity, language], add_to_output=True)


def _ranking_with_crisis_first(
    ranking: list[dict[str, Any]] | None,
    top: dict[str, Any] | None,
    crisis: dict[str, Any],
) -> list[dict[str, Any]]:
    """[crisis, the classifiers' top intent, the rest of their ranking]."""
    rest = [dict(i) for i in ranking or [] if i.get(INTENT_NAME_KEY) != CRISIS_INTENT]
    top_name = (top or {}).get(INTENT_NAME_KEY)
    if top_name is None or top_name == CRISIS_INTENT:
        return [crisis] + rest
    rest = [i for i in rest if i.get(INTENT_NAME_KEY) != top_name]
    return [crisis, dict(top or {})] + rest
