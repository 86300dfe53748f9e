"""Rasa NLU intent classifier: logistic regression over tf-idf and sentence-encoder features.

    - name: bot.components.intent_classifier.SentenceIntentClassifier

Why not DIET's own intent head: with a few thousand invented examples DIET learns the words it
has seen and little else (5-fold macro-F1 0.897). Logistic regression over the same kind of
word and character n-grams, plus the pretrained sentence vector that
`SentenceEmbeddingFeaturizer` adds, generalises to unseen words and phrasings and scored
higher on the same cross-validation (docs/nlu-evaluation.md, fifth revision). DIET still
extracts the entities.

Features of a message, concatenated:
- tf-idf of its words (single letters count: "k", "y", "n" are answers here), with every
  ZIP code read as the word "zipcode": a ZIP the examples never showed ("22903" alone, the
  answer to "where are you?") is then as clear an `inform` as one they did;
- tf-idf of character n-grams of 1-4 inside word boundaries (misspellings, "narcon");
- the sentence vector, scaled by `embedding_weight` (the tf-idf blocks are L2-normalised,
  as is the vector, so the weight sets how much the encoder counts against the n-grams).

Classes are weighted by their inverse frequency, so a small intent such as `crisis` or
`share_location` is not outvoted by `find_help`. The classifier is stored with skops (no
pickle) and loaded back only if it holds scikit-learn, NumPy and SciPy types.
Runs in the Rasa environment (Python 3.10).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack

from bot.components.base import Requirements, StoredComponent, set_intent
from bot.components.sentence_featurizer import SentenceEmbeddingFeaturizer

logger = logging.getLogger(__name__)

_FILE = "intent_classifier.skops"
#: A US ZIP code, ZIP+4 included, as a word of its own.
_ZIP = re.compile(r"\b\d{5}(?:-\d{4})?\b")
#: Module prefixes of the types the stored classifier may contain.
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class SentenceIntentClassifier(Requirements, StoredComponent, IntentClassifier):
    """Predicts the intent from n-gram tf-idf and the sentence encoder's vector."""

    #: The sentence vector comes from the featurizer.
    REQUIRED_COMPONENTS = (SentenceEmbeddingFeaturizer,)
    REQUIRED_PACKAGES = ("sklearn", "skops")

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Chosen by 5-fold cross-validation (docs/nlu-evaluation.md)."""
        return {"C": 10.0, "embedding_weight": 2.0, "max_iter": 5000, "ranking_length": 10}

    def _set_state(self, state: Any) -> None:
        #: [word vectorizer, character vectorizer, logistic regression], once trained.
        self.parts: list[Any] | None = state

    def train(self, training_data: TrainingData) -> Resource:
        """Fits the vectorizers and the regression on the intent examples."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        if not examples:
            logger.debug("SentenceIntentClassifier: no intent examples, nothing to train.")
            return self._resource
        texts = [_ngram_text(e) for e in examples]
        words = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
        words.fit(texts)
        chars.fit(texts)
        regression = LogisticRegression(
            C=self.component_config["C"],
            class_weight="balanced",
            max_iter=self.component_config["max_iter"],
            random_state=42,
        )
        self.parts = [words, chars, regression]
        regression.fit(self._features(examples), [e.get(INTENT) for e in examples])
        self._persist()
        return self._resource

    def _features(self, messages: list[Message]) -> csr_matrix:
        assert self.parts is not None
        words, chars, _ = self.parts
        texts = [_ngram_text(m) for m in messages]
        vectors = np.vstack([self._sentence_vector(m) for m in messages])
        scaled = csr_matrix(vectors * self.component_config["embedding_weight"])
        return hstack([words.transform(texts), chars.transform(texts), scaled]).tocsr()

    @staticmethod
    def _sentence_vector(message: Message) -> np.ndarray:
        _, sentence = message.get_dense_features(TEXT)
        if sentence is None:
            # A message with no text to encode (an empty string) gets the zero vector.
            return np.zeros((1, 384), dtype=np.float32)
        return np.asarray(sentence.features, dtype=np.float32).reshape(1, -1)

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets `intent` and `intent_ranking` on every message with text."""
        if self.parts is None:
            return messages
        todo = [m for m in messages if m.get(TEXT)]
        if not todo:
            return messages
        regression = self.parts[2]
        probabilities = regression.predict_proba(self._features(todo))
        length = self.component_config["ranking_length"]
        for message, row in zip(todo, probabilities, strict=True):
            order = np.argsort(-row)[:length]
            ranking = [
                {
                    INTENT_NAME_KEY: str(regression.classes_[i]),
                    PREDICTED_CONFIDENCE_KEY: float(row[i]),
                }
                for i in order
            ]
            set_intent(message, ranking[0][INTENT_NAME_KEY], ranking[0][PREDICTED_CONFIDENCE_KEY],
                       ranking)
        return messages

    def _write(self, directory: Path) -> None:
        import skops.io as sio

        sio.dump(self.parts, directory / _FILE)

    @classmethod
    def _read(cls, directory: Path) -> list[Any]:
        """The stored classifier; refused with an error if it holds types outside
        scikit-learn, NumPy and SciPy: the server must not start with a classifier it did
        not write. (A model trained without intent examples has nothing stored and loads
        untrained.)
        """
        import skops.io as sio

        path = directory / _FILE
        if not path.is_file():
            raise FileNotFoundError(path)
        untrusted = sio.get_untrusted_types(file=path)
        unexpected = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
        if unexpected:
            raise UntrustedModelError(f"unexpected types in {path.name}: {unexpected}")
        parts: list[Any] = sio.load(path, trusted=untrusted)
        return parts


def _ngram_text(message: Message) -> str:
    """The text the n-gram vectorizers see: ZIP codes become the word "zipcode"."""
    return _ZIP.sub("zipcode", message.get(TEXT) or "")


class UntrustedModelError(RuntimeError):
    """The stored classifier holds types this component never writes."""
