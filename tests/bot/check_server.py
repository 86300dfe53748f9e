"""Check `bot.server`'s fix inside the real Rasa 3.6 (Rasa environment, Python 3.10).

    .venv-rasa/bin/python tests/bot/check_server.py

After `cache_action_reply_validation()`, Rasa's RemoteAction must still accept a valid action
server reply and reject a malformed one with Rasa's own message, and it must no longer call
`jsonschema.validate` (the call that re-validates the schema on every reply). After
`limit_action_call_time()`, the timeout RemoteAction passes to the action server call must be
the configured one. After `prepare()`, Rasa and transformers load without importing JAX.
Exits non-zero on any failure. Not collected by pytest (it needs the Rasa
environment).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import jsonschema  # noqa: E402
import rasa.core.actions.action as action_module  # noqa: E402
from rasa.core.actions.action import RemoteAction  # noqa: E402

from bot.server import cache_action_reply_validation, limit_action_call_time  # noqa: E402

VALID = {
    "events": [
        {"event": "slot", "name": "need", "value": ["detox"], "timestamp": None},
        {"event": "active_loop", "name": "search_form"},
    ],
    "responses": [{"text": "Example reply", "custom": {"type": "resources", "items": []}}],
}
MALFORMED = {"events": "not a list", "responses": []}


def main() -> int:
    failures: list[str] = []
    action = RemoteAction("action_example", None)
    cache_action_reply_validation()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("jsonschema.validate was called: the cached validator is not used")

    jsonschema.validate = refuse  # type: ignore[assignment]
    started = time.perf_counter()
    for _ in range(50):
        action._validate_action_result(VALID)
    per_call_ms = (time.perf_counter() - started) / 50 * 1000
    try:
        action._validate_action_result(MALFORMED)
        failures.append("a malformed reply was accepted")
    except jsonschema.ValidationError as error:
        if "Failed to validate Action server response" not in error.message:
            failures.append(f"unexpected message: {error.message}")
    print(f"valid reply checked in {per_call_ms:.2f} ms per call")
    if action_module.DEFAULT_REQUEST_TIMEOUT != 300:
        failures.append("Rasa's action timeout is no longer 5 minutes: re-check bot/server.py")
    os.environ["RN_ACTION_TIMEOUT_SECONDS"] = "1.5"
    if limit_action_call_time() != 1.5 or action_module.DEFAULT_REQUEST_TIMEOUT != 1.5:
        failures.append("the action call timeout was not applied")
    failures += check_unused_imports_skipped()
    for failure in failures:
        print("FAIL:", failure)
    print("bot.server fix:", "FAILED" if failures else "ok")
    return 1 if failures else 0


#: Run in a fresh interpreter: this one has imported TensorFlow (and with it JAX) already.
_IMPORTS = """
import sys
from bot.server import prepare
prepare()
import rasa.core.agent, transformers
print("jax imported" if sys.modules.get("jax") is not None else "jax not imported")
"""


def check_unused_imports_skipped() -> list[str]:
    """After `prepare()`, loading Rasa and transformers must not import JAX."""
    import subprocess

    result = subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "-c", _IMPORTS], cwd=REPO, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)}, check=False,
    )
    last = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    print(f"after prepare(): {last}")
    return [] if last == "jax not imported" else [f"unused import: {last}"]


if __name__ == "__main__":
    sys.exit(main())
