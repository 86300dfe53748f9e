"""bot/policy_cache.py: TED's predictions kept by dialogue states.

Rasa is not installed in this environment, so the few Rasa names the module uses are
stand-ins here; tests/bot/check_policy_cache.py compares the table with the trained TED in
Rasa itself.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest

from bot import policy_cache


class _Prediction:
    def __init__(self, probabilities: list[float], policy_name: str | None,
                 policy_priority: int = 1, **fields: Any) -> None:
        self.probabilities = probabilities
        self.policy_name, self.policy_priority = policy_name, policy_priority
        self.events = fields.get("events") or []
        self.optional_events = fields.get("optional_events") or []
        for name in ("is_end_to_end_prediction", "is_no_user_prediction", "hide_rule_turn"):
            setattr(self, name, fields.get(name, False))
        self.diagnostic_data = fields.get("diagnostic_data")
        self.action_metadata = fields.get("action_metadata")


class _Ted:
    """TED as the patch sees it: states from the tracker, one forward pass per call."""

    def __init__(self, reads_text: bool = False) -> None:
        self.model = object()
        self.only_e2e = False
        self.fake_features = {"text": []} if reads_text else {"intent": []}
        self.forward_passes = 0

    def _prediction_states(self, tracker: Any, domain: Any, rule_only_data: Any = None
                           ) -> list[dict[str, Any]]:
        return tracker["states"]

    def predict_action_probabilities(self, tracker: Any, domain: Any, rule_only_data: Any = None,
                                     precomputations: Any = None, **kwargs: Any) -> _Prediction:
        self.forward_passes += 1
        return _Prediction([0.1, 0.9] if tracker["says"] == "a" else [0.8, 0.2], "TEDPolicy")


@pytest.fixture()
def ted_class(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Ted]]:
    """A fresh TEDPolicy stand-in, patched as `bot.server` patches Rasa's."""
    cls = type("TEDPolicy", (_Ted,), {})
    modules = {
        "rasa": types.ModuleType("rasa"),
        "rasa.core.policies.ted_policy": types.SimpleNamespace(TEDPolicy=cls),
        "rasa.core.policies.policy": types.SimpleNamespace(PolicyPrediction=_Prediction),
        "rasa.shared.nlu.constants": types.SimpleNamespace(TEXT="text"),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    assert policy_cache.cache_ted_predictions(2) == 2
    yield cls


def _tracker(states: list[dict[str, Any]], says: str = "a") -> dict[str, Any]:
    return {"states": states, "says": says}


GREET = [{"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}}]
NEED = [{"user": {"intent": "find_help", "entities": ("need", "location")},
         "slots": {"needs": (1.0,)}, "prev_action": {"action_name": "action_listen"}}]


def test_the_same_states_need_one_forward_pass(ted_class: type[_Ted]) -> None:
    ted = ted_class()
    first = ted.predict_action_probabilities(_tracker(GREET), None)
    again = ted.predict_action_probabilities(_tracker([dict(GREET[0])]), None)
    assert ted.forward_passes == 1
    assert first.probabilities == again.probabilities == [0.1, 0.9]
    assert first is not again and first.probabilities is not again.probabilities


def test_other_states_are_predicted_by_the_model(ted_class: type[_Ted]) -> None:
    ted = ted_class()
    ted.predict_action_probabilities(_tracker(GREET), None)
    other = ted.predict_action_probabilities(_tracker(NEED, says="b"), None)
    assert ted.forward_passes == 2 and other.probabilities == [0.8, 0.2]


def test_a_change_to_the_caller_s_copy_does_not_reach_the_table(ted_class: type[_Ted]) -> None:
    ted = ted_class()
    ted.predict_action_probabilities(_tracker(GREET), None).probabilities[0] = 99.0
    assert ted.predict_action_probabilities(_tracker(GREET), None).probabilities == [0.1, 0.9]


def test_the_least_recently_used_states_leave_a_full_table(ted_class: type[_Ted]) -> None:
    ted = ted_class()  # the table holds 2
    third = [{"user": {"intent": "thanks"}}]
    for states in (GREET, NEED, GREET, third):  # NEED is the least recently used
        ted.predict_action_probabilities(_tracker(states), None)
    passes = ted.forward_passes
    ted.predict_action_probabilities(_tracker(GREET), None)
    assert ted.forward_passes == passes
    ted.predict_action_probabilities(_tracker(NEED), None)
    assert ted.forward_passes == passes + 1


def test_a_ted_that_reads_the_user_s_words_is_always_asked(ted_class: type[_Ted]) -> None:
    ted = ted_class(reads_text=True)
    for says in ("a", "b"):
        ted.predict_action_probabilities(_tracker(GREET, says=says), None)
    assert ted.forward_passes == 2


def test_equal_states_give_equal_keys_and_different_states_differ() -> None:
    assert policy_cache.freeze(GREET) == policy_cache.freeze(
        [{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}}])
    assert policy_cache.freeze(NEED) != policy_cache.freeze(
        [{**NEED[0], "slots": {"needs": (0.0,)}}])


@pytest.mark.parametrize(("value", "entries"), [
    ("", policy_cache.DEFAULT_ENTRIES), ("0", 0), (" 128 ", 128)])
def test_the_table_size_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, entries: int
) -> None:
    monkeypatch.setenv("RN_POLICY_CACHE_ENTRIES", value)
    assert policy_cache.cache_entries() == entries


@pytest.mark.parametrize("value", ["-1", "many"])
def test_a_wrong_table_size_stops_the_server_with_a_message(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("RN_POLICY_CACHE_ENTRIES", value)
    with pytest.raises(SystemExit, match="RN_POLICY_CACHE_ENTRIES"):
        policy_cache.cache_entries()
