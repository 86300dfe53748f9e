"""Rasa NLU featurizer: dense features from a pretrained sentence encoder (all-MiniLM-L6-v2).

    - name: bot.components.sentence_featurizer.SentenceEmbeddingFeaturizer
      model: build/sentence_model

Why: the training data is a few thousand invented messages, so DIET alone only knows the words
it has seen ("grateful", "operator", "confirmed" were unknown to it). A sentence encoder
trained on a billion sentence pairs knows that "grateful" is close to "thanks". On 5-fold
cross-validation this lifted intent macro-F1 from 0.897 to the figure in
docs/nlu-evaluation.md.

The encoder is the BERT model of sentence-transformers/all-MiniLM-L6-v2, run with TensorFlow
(already loaded by Rasa) through `transformers`' `TFBertModel`, from the files that
`python -m bot.sentence_model fetch` places in `build/sentence_model` (nothing is downloaded
at run time). Features, for the `text` attribute only:

- sentence: the mean of the last layer over the word pieces, L2-normalised: the model's own
  sentence embedding (what sentence-transformers returns), shape (1, 384);
- sequence: for each token of the Rasa tokenizer, the mean of the word pieces that overlap
  it, shape (number of tokens, 384), so DIET's entity tagger sees them too.

Runs in the Rasa environment (Python 3.10).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.base import Requirements
from bot.components.encoder_cache import FeatureCache, cache_entries, cache_key

logger = logging.getLogger(__name__)

#: Longer messages are cut here (in word pieces). Chat messages are far shorter; the model
#: was trained on 128 and its cost grows with the square of the length.
MAX_WORD_PIECES = 128
#: Messages encoded together while training; one at a time while serving, where the
#: features of messages seen before come from a bounded cache (encoder_cache.py).
BATCH_SIZE = 64

Encoder = Callable[[list[str]], tuple[np.ndarray, np.ndarray, list[list[tuple[int, int]]]]]


def load_encoder(model_dir: str) -> Encoder:
    """The tokenizer and the TensorFlow encoder from `model_dir`, as one function.

    The function takes texts and returns (sentence vectors [n, 384], word-piece vectors
    [n, pieces, 384], each text's word-piece character offsets). The forward pass is a
    `tf.function` with a dynamic shape, so it is traced once, not per message length.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    from transformers import BertTokenizerFast, TFBertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # "weights initialized from the PyTorch model" is expected
    path = Path(model_dir)
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(
            f"No sentence model in {path}: run `python -m bot.sentence_model fetch --out {path}`"
        )
    tokenizer = BertTokenizerFast.from_pretrained(str(path))
    model = TFBertModel.from_pretrained(str(path), use_safetensors=True)
    spec = tf.TensorSpec([None, None], tf.int32)

    @tf.function(input_signature=[spec, spec])
    def forward(ids: Any, mask: Any) -> Any:
        hidden = model(
            input_ids=ids, attention_mask=mask, token_type_ids=tf.zeros_like(ids)
        ).last_hidden_state
        weights = tf.cast(mask, hidden.dtype)[..., None]
        mean = tf.reduce_sum(hidden * weights, axis=1) / tf.reduce_sum(weights, axis=1)
        return tf.math.l2_normalize(mean, axis=1), hidden

    def encode(texts: list[str]) -> tuple[np.ndarray, np.ndarray, list[list[tuple[int, int]]]]:
        batch = tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=MAX_WORD_PIECES,
            return_offsets_mapping=True,
            return_tensors="np",
        )
        sentences, pieces = forward(
            batch["input_ids"].astype(np.int32), batch["attention_mask"].astype(np.int32)
        )
        offsets = [[(int(a), int(b)) for a, b in row] for row in batch["offset_mapping"]]
        return sentences.numpy(), pieces.numpy(), offsets

    return encode


def token_vectors(
    tokens: list[Token], pieces: np.ndarray, offsets: list[tuple[int, int]]
) -> np.ndarray:
    """One vector per Rasa token: the mean of the word pieces whose characters overlap it.

    Special pieces ([CLS], [SEP], padding) have the offset (0, 0) and are never used. A token
    no piece overlaps (cut off by MAX_WORD_PIECES) gets zeros.
    """
    out = np.zeros((len(tokens), pieces.shape[-1]), dtype=np.float32)
    for i, token in enumerate(tokens):
        rows = [
            j
            for j, (start, end) in enumerate(offsets)
            if end > start and start < token.end and end > token.start
        ]
        if rows:
            out[i] = pieces[rows].mean(axis=0)
    return out


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEmbeddingFeaturizer(Requirements, DenseFeaturizer, GraphComponent):
    """Adds all-MiniLM-L6-v2 sentence and token features to each message's text."""

    #: Sequence features are per token, so a tokenizer must run first.
    REQUIRED_COMPONENTS = (Tokenizer,)
    REQUIRED_PACKAGES = ("tensorflow", "transformers")

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`model`: the folder `python -m bot.sentence_model fetch` wrote."""
        return {**DenseFeaturizer.get_default_config(), "model": "build/sentence_model"}

    def __init__(self, config: dict[str, Any], name: str, encode: Encoder) -> None:
        super().__init__(name, config)
        self._encode = encode
        self._cache = FeatureCache(max_entries=cache_entries())

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        """Loads the encoder (about 1 s, 90 MB)."""
        return cls(config, execution_context.node_name, load_encoder(config["model"]))

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """The model folder is checked when the encoder loads."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes every training example, in batches."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds sentence and sequence features to each message that has text and tokens."""
        todo = [m for m in messages if m.get(TEXT) and m.get(TOKENS_NAMES[TEXT])]
        if len(todo) == 1:
            self._process_one(todo[0])
            return messages
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            sentences, pieces, offsets = self._encode([m.get(TEXT) for m in batch])
            for i, message in enumerate(batch):
                sequence = token_vectors(message.get(TOKENS_NAMES[TEXT]), pieces[i], offsets[i])
                self._add(message, sequence, sentences[i : i + 1])
        return messages

    def _process_one(self, message: Message) -> None:
        """One message, as the server sees them: from the cache when it was seen before."""
        tokens = message.get(TOKENS_NAMES[TEXT])
        key = cache_key(message.get(TEXT), [(t.start, t.end) for t in tokens])
        cached = self._cache.get(key) if key is not None else None
        if cached is None:
            sentences, pieces, offsets = self._encode([message.get(TEXT)])
            cached = token_vectors(tokens, pieces[0], offsets[0]), sentences[0:1]
            if key is not None:
                self._cache.put(key, *cached)
        self._add(message, *cached)

    def _add(self, message: Message, sequence: np.ndarray, sentence: np.ndarray) -> None:
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, TEXT, alias))
        message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, TEXT, alias))
