"""What the project's Rasa components share: construction, storage, and setting results.

Two kinds of component:
- `RuleComponent`: no options, no training, nothing stored (the rules live in bot/*.py);
- `StoredComponent`: trained, keeps what it learnt in one folder of the model storage, and
  loads back untrained (with a warning) when nothing is stored.

The helpers set an intent with its ranking, or entities of one type, the way every component
here reports them (`add_to_output=True`, so they reach the parse result). Class names and
module paths of the components themselves stay where trained models refer to them.
Runs in the Rasa environment (Python 3.10).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

R = TypeVar("R", bound="RuleComponent")
S = TypeVar("S", bound="StoredComponent")


class Requirements:
    """What a component needs, declared as class attributes and reported to Rasa's checks.

    Put it first among the bases, so that its methods come before GraphComponent's.
    """

    #: Components that must run before this one in the pipeline.
    REQUIRED_COMPONENTS: ClassVar[tuple[type, ...]] = ()
    #: Python packages the component imports.
    REQUIRED_PACKAGES: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def required_components(cls) -> list[type]:
        return list(cls.REQUIRED_COMPONENTS)

    @classmethod
    def required_packages(cls) -> list[str]:
        return list(cls.REQUIRED_PACKAGES)


class RuleComponent(GraphComponent):
    """A component with no options and nothing to train or load."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the rules live in code."""
        return {}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(
        cls: type[R],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> R:
        """Creates the component (nothing to train or load)."""
        return cls(config)


class StoredComponent(GraphComponent):
    """A trained component whose `state` is written to and read from its model folder.

    Subclasses implement `_write(directory)` and `_read(directory) -> state`; `_read` raises
    OSError or ValueError when nothing usable is stored, and the component then loads
    without state.
    """

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        state: Any = None,
    ) -> None:
        self.component_config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._set_state(state)

    def _set_state(self, state: Any) -> None:
        """Keeps what was trained or loaded (None: untrained)."""

    @classmethod
    def create(
        cls: type[S],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> S:
        """An untrained component."""
        return cls(config, model_storage, resource)

    def _persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            self._write(directory)

    def _write(self, directory: Path) -> None:
        raise NotImplementedError

    @classmethod
    def _read(cls, directory: Path) -> Any:
        raise NotImplementedError

    @classmethod
    def load(
        cls: type[S],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> S:
        """Loads the stored state; without it (a model trained on no examples) untrained."""
        try:
            with model_storage.read_from(resource) as directory:
                state = cls._read(directory)
        except (ValueError, OSError) as error:
            logger.warning("%s has nothing stored (%s): untrained.", cls.__name__, error)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, state)


def typed_texts(messages: Iterable[Message]) -> Iterator[tuple[Message, str]]:
    """(message, text) for the messages a person typed; button payloads ("/…") are skipped."""
    for message in messages:
        text = message.get(TEXT)
        if isinstance(text, str) and not text.lstrip().startswith("/"):
            yield message, text


def set_intent(message: Message, name: str, confidence: float,
               ranking: list[dict[str, Any]]) -> None:
    """Sets the intent and its ranking (the intent itself is expected first in `ranking`)."""
    message.set(INTENT, intent(name, confidence), add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def intent(name: str, confidence: float) -> dict[str, Any]:
    return {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}


def entity(kind: str, value: str, start: int, end: int, extractor: str) -> dict[str, Any]:
    """One entity as Rasa's extractors report it."""
    return {
        ENTITY_ATTRIBUTE_TYPE: kind,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        EXTRACTOR: extractor,
    }


def replace_entities(message: Message, new: list[dict[str, Any]]) -> None:
    """The message's entities, those of the types in `new` replaced by `new` (at the end)."""
    kinds = {e[ENTITY_ATTRIBUTE_TYPE] for e in new}
    others = [e for e in message.get(ENTITIES) or []
              if e.get(ENTITY_ATTRIBUTE_TYPE) not in kinds]
    message.set(ENTITIES, others + new, add_to_output=True)
