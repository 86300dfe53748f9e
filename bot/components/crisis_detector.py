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

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.components.base import (
    RuleComponent,
    entity,
    intent,
    replace_entities,
    set_intent,
    typed_texts,
)
from core.crisis import CrisisSignal, detect_crisis, locate

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
CRISIS_ENTITY = "crisis_kind"
LANGUAGE_ENTITY = "chat_language"
EXTRACTOR_NAME = "CrisisDetector"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisDetector(RuleComponent, IntentClassifier):
    """Sets intent `crisis` and entity `crisis_kind` for crisis messages; rules, no training.

    No options: the rules live in core/crisis/.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        """Marks every message that signals a crisis; leaves the others untouched."""
        for message, text in typed_texts(messages):
            signal = detect_crisis(text)
            if signal is not None:
                logger.debug("crisis %s by rule %s", signal.kind, signal.rule)
                _mark_crisis(message, text, signal)
        return messages


def _mark_crisis(message: Message, text: str, signal: CrisisSignal) -> None:
    crisis = intent(CRISIS_INTENT, 1.0)
    ranking = _ranking_with_crisis_first(
        message.get(INTENT_RANKING_KEY), message.get(INTENT), crisis
    )
    set_intent(message, CRISIS_INTENT, 1.0, ranking)
    start, end = locate(text, signal)
    replace_entities(message, [
        entity(CRISIS_ENTITY, signal.kind, start, end, EXTRACTOR_NAME),
        entity(LANGUAGE_ENTITY, signal.language, start, end, EXTRACTOR_NAME),
    ])


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
