"""Start the Rasa server (`python -m bot.server run …`, the same arguments as `rasa`).

It is Rasa's own command line with one fix for Rasa 3.6.21 applied first. Rasa checks every
reply of the action server with `jsonschema.validate`, which validates the *schema itself*
against the JSON Schema 2020-12 meta-schema before it looks at the reply. With jsonschema
4.17 that is about 36 ms of CPU per action call, and a turn that fills a form makes several
calls: profiled under load it was more than half of the Rasa server's CPU. The schema is a
constant, so here it is checked once and its compiled validator is reused; replies are
validated against the same schema with the same errors as before (`docs/benchmarks.md`).
"""

from __future__ import annotations

import functools
from typing import Any

_PATCHED = "_recovery_navigator_cached_validator"


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


def main() -> None:
    cache_action_reply_validation()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
