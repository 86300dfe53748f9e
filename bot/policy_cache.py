"""TED's predictions, kept by the dialogue states they were made for (serving only).

TED, the transformer dialogue policy, runs a TensorFlow forward pass for every action the
assistant predicts, two to four a turn: about a quarter of the Rasa server's CPU in a
py-spy profile of the sequential benchmark (docs/benchmarks.md, "Turn cost"). Trained
without end-to-end text (this project's stories and rules name intents, never words), its
input is only the last `max_history` dialogue states: the intent and the names of the
entities, the featurized slots, the previous action, the active loop. At inference it is
deterministic, so the same states always give the same prediction, and many conversations
pass through the same states whatever their words ("hi"; a need and a place; an insurance
answer; "more"). So the predictions are kept in a least-recently-used table keyed by those
states, one table per loaded policy.

A TED that reads the user's text (end-to-end) calls through every time: its input then
differs with every message. `RN_POLICY_CACHE_ENTRIES` sets the table's size (default 2,048
predictions of about 2 KB each, pickled: a few MB); 0 turns it off.
`tests/bot/check_policy_cache.py` checks, in Rasa, that a prediction from the table equals
the policy's own for the same conversation.
"""

from __future__ import annotations

import os
import threading
from array import array
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

DEFAULT_ENTRIES = 2048
_PATCHED = "_recovery_navigator_prediction_cache"


def cache_entries() -> int:
    """The table's size from RN_POLICY_CACHE_ENTRIES (0 turns it off)."""
    value = os.environ.get("RN_POLICY_CACHE_ENTRIES", "").strip()
    if not value:
        return DEFAULT_ENTRIES
    if not value.isdigit():
        raise SystemExit("RN_POLICY_CACHE_ENTRIES must be a whole number (0 turns it off)")
    return int(value)


def freeze(value: Any) -> Hashable:
    """A dialogue state (dicts of tuples, strings and numbers) as a hashable key."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(freeze(v) for v in value)
    return value  # type: ignore[no-any-return]


class PredictionTable:
    """A bounded LRU of predictions (safe to share between threads)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: Hashable, item: Any) -> None:
        """Keep `item` (a PolicyPrediction, its probabilities stored as doubles: exactly the
        same values in a quarter of the memory of a list of floats)."""
        item.probabilities = array("d", item.probabilities)
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def _copy(prediction: Any, PolicyPrediction: Any) -> Any:  # noqa: N803 (Rasa's class)
    """A new PolicyPrediction with the same content (the ensemble may change the one it
    gets)."""
    return PolicyPrediction(
        list(prediction.probabilities), prediction.policy_name, prediction.policy_priority,
        events=list(prediction.events), optional_events=list(prediction.optional_events),
        is_end_to_end_prediction=prediction.is_end_to_end_prediction,
        is_no_user_prediction=prediction.is_no_user_prediction,
        diagnostic_data=prediction.diagnostic_data, hide_rule_turn=prediction.hide_rule_turn,
        action_metadata=prediction.action_metadata,
    )


def cache_ted_predictions(entries: int | None = None) -> int:
    """Make TEDPolicy keep its predictions by dialogue states; returns the table's size."""
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.shared.nlu.constants import TEXT

    entries = cache_entries() if entries is None else entries
    if entries == 0 or getattr(TEDPolicy, _PATCHED, False):
        return entries
    predict = TEDPolicy.predict_action_probabilities

    def predict_action_probabilities(self: Any, tracker: Any, domain: Any,
                                     rule_only_data: Any = None, precomputations: Any = None,
                                     **kwargs: Any) -> Any:
        if self.model is None or self.only_e2e or TEXT in (self.fake_features or {}):
            return predict(self, tracker, domain, rule_only_data=rule_only_data,
                           precomputations=precomputations, **kwargs)
        table = self.__dict__.get(_PATCHED)
        if table is None:  # one table per loaded policy, made on its first prediction
            table = self.__dict__.setdefault(_PATCHED, PredictionTable(entries))
        key = freeze(self._prediction_states(tracker, domain, rule_only_data=rule_only_data))
        cached = table.get(key)
        if cached is None:
            cached = predict(self, tracker, domain, rule_only_data=rule_only_data,
                             precomputations=precomputations, **kwargs)
            result = _copy(cached, PolicyPrediction)
            table.put(key, cached)
            return result
        return _copy(cached, PolicyPrediction)

    TEDPolicy.predict_action_probabilities = predict_action_probabilities
    setattr(TEDPolicy, _PATCHED, True)
    return entries
