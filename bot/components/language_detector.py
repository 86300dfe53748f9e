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

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.training_data.message import Message

from bot.components.base import RuleComponent, entity, replace_entities, typed_texts
from core.language import read_language

LANGUAGE_ENTITY = "chat_language"
EXTRACTOR_NAME = "LanguageDetector"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class LanguageDetector(RuleComponent, EntityExtractorMixin):
    """Adds `chat_language` for messages whose language can be read; rules, no training.

    No options: the word lists live in core/language.py.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the entity where the words tell the language; leaves the others untouched."""
        for message, text in typed_texts(messages):
            language = read_language(text)
            if language is not None:
                replace_entities(
                    message, [entity(LANGUAGE_ENTITY, language, 0, len(text), EXTRACTOR_NAME)]
                )
        return messages
