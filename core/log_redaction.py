"""Keep what people type out of the logs of the Rasa server and the action server.

Rasa logs some messages as typed, whatever the log level: a message that starts with "/" and
does not parse as `/intent{"entity": "value"}` is quoted in a `UserWarning` ("Failed to parse
arguments in line '/inform{"name": "Jane Example 410-555-0123"}'...") and in the structured
log event `message.parsing.failed` (`user_text`). Exceptions can quote it too.

`install_log_redaction()` makes every log record pass through `redact_record` before any
handler writes it, including handlers added later by Rasa, Sanic or rasa-sdk:
- Python warnings are routed into logging (`logging.captureWarnings`), so they are redacted
  too instead of being printed straight to stderr;
- Rasa's parse warnings are replaced by a fixed text (they quote nothing but the message);
- in structured (JSON) log lines the values of the keys Rasa itself treats as personal data
  (`user_text`, `text`, `message`, `parse_data_entities`...) become "[text]";
- everything else, exception tracebacks included, goes through `core.redaction.for_storage`.

Pure standard library (plus core.redaction): runs on Python 3.10 (Rasa) and 3.11 (actions).
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from typing import Any

from core.redaction import for_storage

TEXT = "[text]"

#: The keys whose values Rasa's own log anonymizer treats as personal data
#: (rasa/utils/log_utils.py `_anonymizer`), plus the entity and slot values Rasa logs.
PERSONAL_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text",
    "parse_data_entities", "prediction_events", "tracker_latest_message", "prefilled_slots",
    "message", "response", "slot_candidates", "rasa_event", "rasa_events", "tracker_states",
    "current_states", "old_states", "successes", "current_entity", "next_entity", "states",
    "entity", "token_text", "user_message", "json_message", "entities", "value", "slots",
})

PARSE_FAILED = (
    'Rasa could not parse a message that starts with "/" as an intent; '
    "the message is not logged (core/log_redaction.py)."
)
# Rasa's warnings that quote a message: rasa/shared/core/training_data/story_reader/
# yaml_story_reader.py (`unpack_regex_message`) and the debug line of the message processor.
_QUOTES_A_MESSAGE = re.compile(
    r"Failed to parse arguments in line|Received user message|Could not parse|"
    r"Parsed value isn't a json object",
)
_MARK = "_rn_redacted"


def _redact_json(line: str) -> str | None:
    """A JSON object log line with its personal values replaced; None if not JSON."""
    stripped = line.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return for_storage(json.dumps(_without_personal(data), ensure_ascii=False, default=str))


def _without_personal(value: Any) -> Any:
    """Personal keys (and traceback frames' `locals`, which hold trackers and slots) at any
    depth replaced by "[text]"."""
    if isinstance(value, dict):
        return {key: TEXT if key in PERSONAL_KEYS or key == "locals" else _without_personal(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_without_personal(item) for item in value]
    return value


def redact_log_text(text: str) -> str:
    """What of one rendered log message may be written."""
    if not text:
        return text
    if _QUOTES_A_MESSAGE.search(text):
        return PARSE_FAILED
    lines = text.split("\n")
    return "\n".join(
        json_line if (json_line := _redact_json(line)) is not None else for_storage(line)
        for line in lines
    )


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Replace the record's message (its arguments merged in), traceback and stack by their
    redacted text. Idempotent: a record already redacted is left alone."""
    if getattr(record, _MARK, False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not lose the record
        message = f"{record.msg!s} {record.args!r}"
    record.msg, record.args = redact_log_text(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        rendered = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = redact_log_text(rendered)
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = redact_log_text(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_log_text(record.stack_info)
    setattr(record, _MARK, True)
    return record


class RedactingFilter(logging.Filter):
    """A handler filter that redacts each record (and never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


_original_handle = logging.Handler.handle


def _redacting_handle(self: logging.Handler, record: logging.LogRecord) -> Any:
    redact_record(record)
    return _original_handle(self, record)


def install_log_redaction() -> None:
    """Redact every record at every handler, now and later; route warnings into logging.

    `logging.Handler.handle` is the one place every handler passes through (Rasa replaces
    the root handlers when it configures logging, Sanic adds its own), so it is wrapped
    rather than each handler given a filter.
    """
    # Off, then on: a capture left on from before (while something else restored
    # warnings.showwarning) would otherwise make this call do nothing.
    logging.captureWarnings(False)
    logging.captureWarnings(True)
    # A logging configuration applied earlier (alembic's fileConfig, say) may have disabled
    # the logger warnings go to; they must still be written, redacted.
    logging.getLogger("py.warnings").disabled = False
    if logging.Handler.handle is not _redacting_handle:
        logging.Handler.handle = _redacting_handle  # type: ignore[method-assign]


def uninstall_log_redaction() -> None:
    """Undo `install_log_redaction` (for tests)."""
    logging.captureWarnings(False)
    logging.Handler.handle = _original_handle  # type: ignore[method-assign]
