"""Start the Rasa server (`python -m bot.server run …`, the same arguments as `rasa`).

It is Rasa's own command line with three fixes for Rasa 3.6.21 applied first, and two savings.

1. Rasa checks every
reply of the action server with `jsonschema.validate`, which validates the *schema itself*
against the JSON Schema 2020-12 meta-schema before it looks at the reply. With jsonschema
4.17 that is about 36 ms of CPU per action call, and a turn that fills a form makes several
calls: profiled under load it was more than half of the Rasa server's CPU. The schema is a
constant, so here it is checked once and its compiled validator is reused; replies are
validated against the same schema with the same errors as before (`docs/web.md`).

2. Rasa waits up to a hard-coded 5 minutes for the action server (`DEFAULT_REQUEST_TIMEOUT`,
not configurable in `endpoints.yml`). An action call takes milliseconds; one that takes seconds
means a hung action server, and the person should get the relay's kind fallback with phone
lines quickly rather than after the web app's own 8 s limit. `RN_ACTION_TIMEOUT_SECONDS`
(default 1.5) bounds each call; Rasa then logs the failed action and carries on, as it does when
the action server is stopped.

3. Rasa logs some messages as typed (a message starting with "/" that does not parse is
quoted in a warning and in a structured log line). Every log record, Rasa's included, is
redacted before any handler writes it (`core/log_redaction.py`, docs/privacy.md).

4. JAX, installed but unused, is not imported (`skip_unused_imports`): 83 MB less memory.

5. TED's predictions are kept by the dialogue states they were made for
(`bot/policy_cache.py`, `RN_POLICY_CACHE_ENTRIES`): the same states give the same prediction
without a TensorFlow forward pass.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any

from bot.policy_cache import cache_ted_predictions
from core.log_redaction import install_log_redaction

_PATCHED = "_recovery_navigator_cached_validator"
DEFAULT_ACTION_TIMEOUT_SECONDS = 1.5


@functools.lru_cache(maxsize=1)
def _reply_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def cache_action_reply_validation() -> None:
    """Make `RemoteAction` validate replies with a validator compiled once."""
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction, _PATCHED, False):
        return

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        try:
            _reply_validator().validate(result)
        except ValidationError as error:
            # The same message Rasa's own method gives.
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                "For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise
        return True

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    setattr(RemoteAction, _PATCHED, True)


def limit_action_call_time(seconds: float | None = None) -> float:
    """Bound each call to the action server; returns the limit in seconds."""
    import rasa.core.actions.action as action_module

    if seconds is None:
        seconds = float(os.environ.get("RN_ACTION_TIMEOUT_SECONDS", DEFAULT_ACTION_TIMEOUT_SECONDS))
    if seconds <= 0:
        raise SystemExit("RN_ACTION_TIMEOUT_SECONDS must be a positive number of seconds")
    # RemoteAction.run passes this module-level name as the request's total timeout.
    action_module.DEFAULT_REQUEST_TIMEOUT = seconds  # type: ignore[attr-defined]
    return seconds


#: Installed in the Rasa environment as a dependency of a dependency, never used by Rasa, yet
#: imported by TensorFlow's TFLite converter (`tensorflow.lite.python.util`) whenever present:
#: 83 MB of resident memory and two seconds of start-up (docs/benchmarks.md "Turn cost").
UNUSED_IMPORTS = ("jax",)


def skip_unused_imports() -> None:
    """Make `import jax` fail as if it were not installed (TensorFlow then does without)."""
    for name in UNUSED_IMPORTS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def prepare() -> None:
    """Everything done before Rasa's own command line runs."""
    skip_unused_imports()
    install_log_redaction()
    cache_action_reply_validation()
    limit_action_call_time()
    cache_ted_predictions()


def main() -> None:
    prepare()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
