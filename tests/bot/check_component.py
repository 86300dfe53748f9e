"""Check that CrisisDetector, GibberishFilter and LanguageDetector work inside a Rasa 3.6 model.

Run with the Rasa environment (Python 3.10), from the repository root:

    .venv-rasa/bin/python tests/bot/check_component.py

It trains a tiny NLU model in a temporary folder (WhitespaceTokenizer, KeywordIntentClassifier,
GibberishFilter, CrisisDetector last), parses a few messages and exits non-zero on any
mismatch. About 15 s.
Not collected by pytest (it needs the Rasa environment, which the app environment lacks).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from tests.bot import check_exit  # noqa: E402
from tests.bot.tiny_model import train_tiny_nlu  # noqa: E402

ASSISTANT = "crisis-component-check"
PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "KeywordIntentClassifier"},
    {"name": "bot.components.gibberish_filter.GibberishFilter"},
    {"name": "bot.components.language_detector.LanguageDetector"},
    {"name": "bot.components.crisis_detector.CrisisDetector"},
]
EXAMPLES = {"need_detox": ["detox"], "greet": ["hello", "hola"]}
#: The intent and the entities the components set on their own.
MORE_INTENTS = ("crisis",)
ENTITIES = ("crisis_kind", "chat_language")

#: text -> (intent, crisis_kind entity value or None, second intent in the ranking or None)
EXPECTED: dict[str, tuple[str, str | None, str | None]] = {
    "he's not breathing": ("crisis", "overdose", None),
    "i need detox, i want to die": ("crisis", "suicide", "need_detox"),
    "hello": ("greet", None, None),
    "this wait list for detox is killing me": ("need_detox", None, None),
    "/greet": ("greet", None, None),
    # Keyboard mash becomes nlu_fallback; a known word or a crisis signal still wins.
    "asdfgh jkl": ("nlu_fallback", None, None),
    "xcvb": ("nlu_fallback", None, None),
    "detox asdf": ("need_detox", None, None),
    "qwerty he's not breathing": ("crisis", "overdose", None),
    "ya no quiero vivir": ("crisis", "suicide", None),
    "mi hermano no respira": ("crisis", "overdose", None),
    "hola, necesito ayuda": ("greet", None, None),
}
#: The `chat_language` entity: for a crisis, the language whose rules read the message (the
#: CrisisDetector's); otherwise the LanguageDetector's reading, none where nothing tells.
LANGUAGE: dict[str, str] = {
    "hello": "en",
    "this wait list for detox is killing me": "en",
    "hola, necesito ayuda": "es",
    "he's not breathing": "en",
    "i need detox, i want to die": "en",
    "qwerty he's not breathing": "en",
    "ya no quiero vivir": "es",
    "mi hermano no respira": "es",
}


async def _parse_all(model: str) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    problems = []
    for text, (intent, kind, second) in EXPECTED.items():
        result = await agent.parse_message(text)
        got_intent = result["intent"]["name"]
        kinds = [e["value"] for e in result.get("entities", []) if e["entity"] == "crisis_kind"]
        got_kind = kinds[0] if kinds else None
        ranking = [i["name"] for i in result.get("intent_ranking", [])]
        languages = [e["value"] for e in result.get("entities", [])
                     if e["entity"] == "chat_language"]
        ok = got_intent == intent and got_kind == kind
        ok = ok and languages == ([LANGUAGE[text]] if text in LANGUAGE else [])
        if second is not None:
            ok = ok and ranking[:2] == [intent, second]
        if intent == "crisis":
            ok = ok and result["intent"]["confidence"] == 1.0
        print(f"{'ok  ' if ok else 'FAIL'} {text!r}: intent={got_intent} crisis_kind={got_kind} "
              f"chat_language={languages} ranking={ranking[:3]}")
        if not ok:
            problems.append(text)
    return problems


def main() -> int:
    os.chdir(REPO)
    with tempfile.TemporaryDirectory(prefix="crisis-check-") as tmp:
        model = train_tiny_nlu(Path(tmp), ASSISTANT, PIPELINE, EXAMPLES,
                               more_intents=MORE_INTENTS, entities=ENTITIES)
        problems = asyncio.run(_parse_all(model))
    return check_exit.exit_status(
        problems, f"{len(problems)} message(s) parsed wrongly",
        "CrisisDetector, GibberishFilter and LanguageDetector work in a trained NLU model")


if __name__ == "__main__":
    sys.exit(main())
