"""Run the person's messages of the test stories through the trained model's NLU.

`rasa test core` takes the intents and entities written in each story and never runs the
text through NLU, so on its own it cannot notice that the model would read a story's message
differently. This check parses every user message of `tests/conversations/*.yml` with the
shipped model (the same `Agent.parse_message` the server uses) and compares the intent with
the story's. Run with the Rasa environment, from the repository root:

    .venv-rasa/bin/python tests/bot/check_story_nlu.py [models/recovery-navigator.tar.gz]

Exits non-zero when a message outside EXPECTED_DIFFERENCES gets another intent.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

#: message -> why the model's reading differs from the story's on purpose.
EXPECTED_DIFFERENCES = {
    # A made-up place: the model gives it no confident intent (nlu_fallback), and inside the
    # form the fallback re-asks for the place just as the form's own "not found" answer does.
    # The story keeps `inform` to test the form's validation of a place it cannot find.
    "blorptown": "nlu_fallback",
}

_ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def story_messages() -> list[tuple[str, str, str]]:
    """(file, text, intent) for every user step of the test stories."""
    found = []
    for path in sorted((REPO / "tests" / "conversations").glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8")).get("stories", []):
            for step in story.get("steps", []):
                if "user" in step:
                    text = _ANNOTATION.sub(r"\1", str(step["user"])).strip()
                    found.append((path.name, text, step["intent"]))
    return found


async def check(model: str) -> int:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    messages = story_messages()
    failures = 0
    for name, text, intent in messages:
        got = (await agent.parse_message(text))["intent"]["name"]
        if got == intent or EXPECTED_DIFFERENCES.get(text) == got:
            continue
        failures += 1
        print(f"FAIL {name}: {text!r}: the story says {intent}, the model says {got}")
    print(f"{len(messages) - failures} / {len(messages)} story messages read as the stories say "
          f"({len(EXPECTED_DIFFERENCES)} expected difference(s), listed in this file)")
    return 1 if failures or not messages else 0


if __name__ == "__main__":
    os.chdir(REPO)
    model = sys.argv[1] if len(sys.argv) > 1 else "models/recovery-navigator.tar.gz"
    sys.exit(asyncio.run(check(model)))
