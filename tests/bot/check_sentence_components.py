"""Check the sentence encoder and the intent classifier built on it, inside real Rasa 3.6.

Run with the Rasa environment (Python 3.10), from the repository root, after
`make sentence-model`:

    .venv-rasa/bin/python tests/bot/check_sentence_components.py

1. The TensorFlow encoder reproduces sentence-transformers' all-MiniLM-L6-v2 vectors
   (reference values computed once with sentence-transformers 6.2 on PyTorch 2.13).
2. Token features line up with Rasa's tokens for awkward text (hyphens, ʻokina, emoji, a
   message longer than the encoder's 128 word pieces).
3. A tiny model (WhitespaceTokenizer, the featurizer, the classifier) trained on two examples
   per intent understands phrasings that share no word with them (the encoder is used; with
   `embedding_weight: 0` three of them fail), and a ZIP code it never saw.
4. It is stored and loaded back through Rasa's model archive; a stored classifier holding a
   foreign type is refused.
5. A message parsed a second time (its encoder features from the cache) gets exactly the
   same intent ranking.

Exits non-zero on any mismatch. About 30 s. Not collected by pytest (it needs the Rasa
environment).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from tests.bot import check_exit  # noqa: E402
from tests.bot.tiny_model import train_tiny_nlu  # noqa: E402

MODEL_DIR = "build/sentence_model"

#: First six values of sentence-transformers' normalised embedding of each text.
REFERENCE = {
    "where can i get narcan": [0.01998, -0.03066, -0.05602, 0.00938, 0.02117, -0.00671],
    "got kicked out, need somewhere to sleep": [0.0321, 0.01075, 0.00322, 0.0729, 0.11493, 0.04546],
}

ASSISTANT = "sentence-component-check"
PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "bot.components.sentence_featurizer.SentenceEmbeddingFeaturizer",
     "model": MODEL_DIR},
    {"name": "bot.components.intent_classifier.SentenceIntentClassifier"},
]
EXAMPLES = {
    "thanks": ["thank you", "thanks a lot"],
    "request_peer": ["can i talk to a person", "connect me with a human"],
    "find_housing": ["i need a sober house", "looking for recovery housing"],
    "inform": ["21201", "my zip is 21218"],
}

#: Messages that share no word with the examples above, and the intent they mean.
UNSEEN = {
    "much appreciated": "thanks",
    "i'm so grateful": "thanks",
    "get me a real live agent": "request_peer",
    "got evicted and have nowhere to sleep tonight": "find_housing",
    # Any ZIP code reads as the word "zipcode" to the n-grams, so one never seen is still
    # clear enough to pass the FallbackClassifier's threshold (0.44 without that).
    "97403": "inform",
}
#: The FallbackClassifier threshold in config.yml.
FALLBACK_THRESHOLD = 0.5


def check_encoder(problems: list[str]) -> None:
    from bot.components.sentence_featurizer import load_encoder

    encode = load_encoder(MODEL_DIR)
    texts = list(REFERENCE)
    sentences, _, _ = encode(texts)
    for text, vector in zip(texts, sentences, strict=True):
        ok = np.allclose(vector[:6], REFERENCE[text], atol=2e-4) and abs(
            np.linalg.norm(vector) - 1
        ) < 1e-4
        print(f"{'ok  ' if ok else 'FAIL'} encoder matches sentence-transformers for {text!r}")
        if not ok:
            problems.append(f"encoder: {text}")


def check_alignment(problems: list[str]) -> None:
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.message import Message

    from bot.components.sentence_featurizer import load_encoder, token_vectors

    encode = load_encoder(MODEL_DIR)
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    long_text = " ".join(["detox"] * 200)
    for text in ["dope-sick in Mō‘ili‘ili", "thanks 🙏🙏", "NARCAN!!! near 21201?", long_text]:
        tokens = tokenizer.tokenize(Message({"text": text}), "text")
        _, pieces, offsets = encode([text])
        rows = token_vectors(tokens, pieces[0], offsets[0])
        empty = int((~rows.any(axis=1)).sum())
        # Only tokens past the 128-word-piece limit may be empty.
        ok = rows.shape == (len(tokens), 384) and (empty == 0 or text == long_text)
        ok = ok and (text != long_text or 0 < empty < len(tokens))
        print(f"{'ok  ' if ok else 'FAIL'} {len(tokens)} tokens -> {rows.shape}, "
              f"{empty} empty: {text[:40]!r}")
        if not ok:
            problems.append(f"alignment: {text[:40]}")


async def check_model(model: str, problems: list[str]) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model)  # loads the classifier back from the archive (skops)
    first = {}
    for text, intent in UNSEEN.items():
        result = first[text] = await agent.parse_message(text)
        got = result["intent"]["name"]
        ranking = [round(i["confidence"], 2) for i in result.get("intent_ranking", [])]
        ok = got == intent and len(ranking) == 4
        if text.isdigit():
            ok = ok and ranking[0] >= FALLBACK_THRESHOLD
        print(f"{'ok  ' if ok else 'FAIL'} {text!r}: intent={got} confidences={ranking}")
        if not ok:
            problems.append(text)
    # The second time a message comes, its encoder features come from the cache: the same.
    for text, result in first.items():
        again = await agent.parse_message(text)
        ok = again["intent_ranking"] == result["intent_ranking"]
        print(f"{'ok  ' if ok else 'FAIL'} {text!r} parsed again (cached features): same ranking")
        if not ok:
            problems.append(f"cached: {text}")


class Foreign:
    """A type the classifier never stores."""


def check_foreign_type_refused(problems: list[str]) -> None:
    import skops.io as sio
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from bot.components.intent_classifier import _FILE, SentenceIntentClassifier

    with tempfile.TemporaryDirectory(prefix="intent-check-") as tmp:
        storage = LocalModelStorage(Path(tmp))
        resource = Resource("intent_classifier")
        with storage.write_to(resource) as directory:
            sio.dump([Foreign()], directory / _FILE)
        try:
            SentenceIntentClassifier.load(
                {}, storage, resource, ExecutionContext(GraphSchema({}), "check")
            )
        except Exception as error:  # noqa: BLE001 - any refusal is fine; loading is not
            print(f"ok   a stored foreign type is refused: {type(error).__name__}")
            return
    print("FAIL a stored foreign type was loaded")
    problems.append("foreign type loaded")


def main() -> int:
    os.chdir(REPO)
    problems: list[str] = []
    check_encoder(problems)
    check_alignment(problems)
    check_foreign_type_refused(problems)
    with tempfile.TemporaryDirectory(prefix="sentence-check-") as tmp:
        asyncio.run(check_model(train_tiny_nlu(Path(tmp), ASSISTANT, PIPELINE, EXAMPLES), problems))
    return check_exit.exit_status(
        problems, f"{len(problems)} check(s) failed: {problems}",
        "SentenceEmbeddingFeaturizer and SentenceIntentClassifier work inside Rasa")


if __name__ == "__main__":
    sys.exit(main())
