"""TED's prediction table gives exactly TED's own predictions (Rasa environment).

    .venv-rasa/bin/python tests/bot/check_policy_cache.py [MODEL]

Loads the trained model, builds the trackers of the conversation tests
(tests/conversations) as `rasa test` does, and for every point of every conversation where
the assistant acts, asks TED three times: without the table, with it (the first time, a
miss), and with it again (a hit when the same states were seen before, in this
conversation or another). All three must give the same probabilities, to the bit, and the
table must have been hit. Exits non-zero on a failure. Not collected by pytest (it needs the
Rasa environment).
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from rasa.core.agent import Agent  # noqa: E402
from rasa.core.policies.ted_policy import TEDPolicy  # noqa: E402
from rasa.core.test import _create_data_generator  # noqa: E402
from rasa.graph_components.providers.rule_only_provider import (  # noqa: E402
    RuleOnlyDataProvider,
)
from rasa.shared.core.events import ActionExecuted  # noqa: E402

from bot.policy_cache import PredictionTable, cache_ted_predictions  # noqa: E402
from tests.bot import check_exit  # noqa: E402

MODEL = REPO / "models" / "recovery-navigator.tar.gz"


def _component(agent: Agent, kind: type) -> Any:
    runner = agent.processor.graph_runner  # type: ignore[union-attr]
    found = [node._component for node in runner._instantiated_nodes.values()
             if isinstance(getattr(node, "_component", None), kind)]
    assert len(found) == 1, f"expected one {kind.__name__} in the model, found {len(found)}"
    return found[0]


def _prefixes(trackers: list[Any]) -> list[Any]:
    """Every tracker cut just before each action it took (what the policy predicted from)."""
    return [_before(tracker, index) for tracker in trackers
            for index, event in enumerate(tracker.events)
            if isinstance(event, ActionExecuted) and index]


def _before(tracker: Any, index: int) -> Any:
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(tracker.sender_id, list(tracker.events)[:index],
                                            slots=tracker.slots.values())


async def _trackers(agent: Agent) -> list[Any]:
    generator = _create_data_generator(str(REPO / "tests" / "conversations"), agent, None,
                                       False)
    return generator.generate_story_trackers()


def main() -> int:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else MODEL
    original = TEDPolicy.predict_action_probabilities
    cache_ted_predictions(4096)
    agent = Agent.load(str(model))
    ted = _component(agent, TEDPolicy)
    rule_only = _component(agent, RuleOnlyDataProvider).provide()
    domain = agent.domain
    points = _prefixes(asyncio.run(_trackers(agent)))
    problems = []
    for tracker in points:
        own = original(ted, tracker, domain, rule_only_data=rule_only).probabilities
        first = ted.predict_action_probabilities(tracker, domain, rule_only_data=rule_only)
        again = ted.predict_action_probabilities(tracker, domain, rule_only_data=rule_only)
        if not (own == first.probabilities == again.probabilities):
            problems.append(f"{tracker.sender_id} at {len(tracker.events)} events differs")
    table: PredictionTable | None = ted.__dict__.get("_recovery_navigator_prediction_cache")
    if table is None:
        problems.append("TED called through: no table was made (an end-to-end TED?)")
    elif not points or len(table) >= len(points):  # conversations share states: some hits
        problems.append("the table was not used")
    for problem in problems:
        print("FAIL", problem)
    return check_exit.exit_status(
        problems, f"{len(problems)} problem(s) with TED's prediction table",
        f"{len(points)} predictions compared: 0 differ; the table holds "
        f"{len(table or ())} distinct states for them")

if __name__ == "__main__":
    sys.exit(main())
