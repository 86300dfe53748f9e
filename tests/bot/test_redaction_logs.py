"""Nothing a person typed reaches a log unredacted (core/log_redaction.py, issue 22 finding 3).

Found by a hostile tester: messages starting with "/" that Rasa cannot parse were logged as
typed, and a typed name and phone number sat in var/log/rasa-*.log. All data is fictional.
"""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.log_redaction import (
    PARSE_FAILED,
    install_log_redaction,
    redact_log_text,
    uninstall_log_redaction,
)

ROOT = Path(__file__).resolve().parents[2]
NAME = "Jane Example"
PHONE = "410-555-0123"
GARBAGE = [
    f'/inform{{"name": "{NAME} {PHONE}"}}',  # an entity the domain does not know
    f'/inform{{"name": "{NAME} {PHONE}"',  # no closing brace
    f'/nosuchintent{{"name": "{NAME} {PHONE}"}}',  # an intent the domain does not know
    f'/inform{{"name" "{NAME} {PHONE}"}}',  # not JSON
    f"/{{{{{NAME} {PHONE}",  # not even an intent: Rasa's structured log quotes it
    f"// {NAME} {PHONE}",
    f"/ {NAME} 4105550123",
]


def leaks(output: str) -> list[str]:
    """What of the fictional person is still in `output`."""
    found = [part for part in (NAME, "Jane", "Example", PHONE, "555-0123", "4105550123")
             if part in output]
    return found + re.findall(r"\d{7,}", output)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """The root logger writing into a string, with a handler added *after* the redaction
    is installed (as Rasa's are)."""
    install_log_redaction()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        uninstall_log_redaction()


def test_rasas_parse_warning_is_logged_without_the_message(log_output: io.StringIO) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"Failed to parse arguments in line '{GARBAGE[0]}'. Expected entities "
                      f"from [...] but found name. Continuing without them.", UserWarning,
                      stacklevel=1)
    output = log_output.getvalue()
    assert PARSE_FAILED in output
    assert not leaks(output), output


def test_structured_log_lines_lose_the_persons_text(log_output: io.StringIO) -> None:
    line = json.dumps({"user_text": GARBAGE[4], "event": "message.parsing.failed",
                       "level": "warning"})
    logging.getLogger("rasa.shared.core.training_data").warning(line)
    output = log_output.getvalue()
    assert '"event": "message.parsing.failed"' in output and '"user_text": "[text]"' in output
    assert not leaks(output), output


def test_messages_arguments_and_tracebacks_are_redacted(log_output: io.StringIO) -> None:
    logger = logging.getLogger("actions.example")
    logger.warning("search for %r failed", f"my name is {NAME}, call {PHONE}")
    try:
        raise ValueError(f"bad place: 12 Example Road, call {PHONE}")
    except ValueError:
        logger.exception("directory search failed")
    output = log_output.getvalue()
    assert "search for 'my name is [name], call [phone]' failed" in output
    assert "directory search failed" in output and "ValueError: bad place: [address]" in output
    assert not leaks(output), output


def test_traceback_locals_in_structured_lines_are_dropped() -> None:
    """Found by the stack test: Rasa's JSON tracebacks carry each frame's locals (slots)."""
    line = json.dumps({"event": "interpolator.interpolate.text", "exception": [{"frames": [
        {"name": "interpolate_text", "locals": {"values": "{'needs': ['Jane']}"}}]}]})
    out = redact_log_text(line)
    assert "Jane" not in out and '"locals": "[text]"' in out


@pytest.mark.parametrize("line", [
    "Starting Rasa server on http://127.0.0.1:5005",
    json.dumps({"event": "action.run", "action_name": "action_search", "level": "info"}),
    "Registered function for 'action_search'.",
])
def test_log_lines_without_personal_text_are_kept(line: str) -> None:
    assert redact_log_text(line) == line


PROBE = """
import logging, sys
from bot.server import prepare
prepare()
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.log_utils import configure_structlog
configure_logging_and_warnings(None, None, warn_only_once=True, filter_repeated_logs=True)
configure_structlog(None)
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message
domain = Domain.load("bot/domain")
for text in sys.argv[1:]:
    YAMLStoryReader.unpack_regex_message(Message(data={"text": text}), domain)
logging.getLogger("rasa.core.processor").info("done")
"""


def test_rasas_own_loggers_keep_no_typed_details() -> None:
    """Rasa's code and logging set-up as `python -m bot.server run` has them (no model, no
    server): what it writes for unparsable "/" messages keeps no name and no number."""
    rasa_python = ROOT / ".venv-rasa" / "bin" / "python"
    if not rasa_python.exists():
        pytest.skip("no Rasa environment (.venv-rasa)")
    result = subprocess.run(  # noqa: S603 (fixed argv)
        [str(rasa_python), "-c", PROBE, *GARBAGE], cwd=ROOT, capture_output=True, text=True,
        timeout=300, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "done" in output and PARSE_FAILED in output  # it did log, redacted
    assert not leaks(output), output


def test_the_action_server_redacts_its_logs() -> None:
    """rasa-sdk imports the `actions` package, which installs the redaction."""
    code = ("import logging, actions\n"
            f"logging.getLogger('rasa_sdk.endpoint').error('bad request: call {PHONE}')")
    result = subprocess.run(  # noqa: S603 (fixed argv)
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code], cwd=ROOT, capture_output=True,
        text=True, timeout=120, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert "bad request: call [phone]" in result.stderr, result.stderr
    assert not leaks(result.stderr)
