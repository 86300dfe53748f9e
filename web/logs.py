"""How the web app and the action server write their logs: plain text (the default) or, with
RN_LOG_FORMAT=json, one JSON object a line for a log collector.

A JSON line holds `time`, `level`, `logger`, `message`, and `exc_info` / `stack_info` when
there are any; nothing else, so no `extra=` field a library attached can carry something
personal. Every record is redacted first (core/log_redaction.py: what people type, phone
numbers, addresses), whether or not the process installed the redaction itself.

Conversation ids: a line logged while a conversation is being handled (a chat frame in the
web app, an action run in the action server: `conversation_scope`) carries `conversation`,
a short SHA-256 of the id, and any raw copy of the id in its message or traceback is
replaced by that hash before anything else sees the record. The ids are 144 random bits,
so the hash cannot be turned back into an id by guessing; it lets an operator follow one
conversation across the web app's and the action server's lines, and find the lines of a
conversation whose id someone hands them (`python -c "from web.logs import
conversation_hash; print(conversation_hash('...'))"`).

Standard library, python-json-logger and core.log_redaction only: the action server's image
has this module without the rest of the web app (docker/actions.Dockerfile).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

from core.log_redaction import install_log_redaction, redact_record

FORMAT_VARIABLE = "RN_LOG_FORMAT"
FORMATS = ("plain", "json")
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: The record attribute the conversation's hash travels in, from creation to the formatter.
HASH_ATTRIBUTE = "rn_conversation"

CONVERSATION: ContextVar[str | None] = ContextVar("rn_conversation", default=None)
_ORIGINAL_LAST_RESORT = logging.lastResort


class LogFormatError(ValueError):
    """RN_LOG_FORMAT names no format this code writes."""


def log_format(environ: Mapping[str, str] = os.environ) -> str:
    """"plain" (unset) or "json", from RN_LOG_FORMAT."""
    value = environ.get(FORMAT_VARIABLE, "").strip().lower() or "plain"
    if value not in FORMATS:
        raise LogFormatError(f"{FORMAT_VARIABLE} must be plain or json, not {value!r}")
    return value


def conversation_hash(conversation_id: str) -> str:
    """What log lines say instead of a conversation id (16 hex digits)."""
    return hashlib.sha256(f"rn-conversation:{conversation_id}".encode()).hexdigest()[:16]


@contextmanager
def conversation_scope(conversation_id: str | None) -> Iterator[None]:
    """Lines logged inside (and in tasks and threads started from here) belong to the
    conversation; None: to none."""
    token = CONVERSATION.set(conversation_id or None)
    try:
        yield
    finally:
        CONVERSATION.reset(token)


def bind_conversation(conversation_id: str | None) -> None:
    """The rest of the current scope (or task) belongs to this conversation: the person's
    socket learns its id from the hello frame it is handling; the action server's request
    from the action call."""
    CONVERSATION.set(conversation_id or None)


def _replace(text: str, raw: str, hashed: str) -> str:
    return text.replace(raw, hashed) if raw in text else text


def hide_conversation_id(record: logging.LogRecord) -> logging.LogRecord:
    """Tag the record with the current conversation's hash and take the raw id out of its
    message, traceback and stack (before redaction, which could split it)."""
    raw = CONVERSATION.get()
    if not raw:
        return record
    hashed = conversation_hash(raw)
    setattr(record, HASH_ATTRIBUTE, hashed)
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not lose the record
        message = f"{record.msg!s} {record.args!r}"
    if raw in message:
        record.msg, record.args = _replace(message, raw, hashed), ()
    if record.exc_info and record.exc_info[0] is not None:
        rendered = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if raw in rendered:
            record.exc_text, record.exc_info = _replace(rendered, raw, hashed), None
    if record.exc_text:
        record.exc_text = _replace(record.exc_text, raw, hashed)
    if record.stack_info:
        record.stack_info = _replace(record.stack_info, raw, hashed)
    return record


class RedactedJsonFormatter(JsonFormatter):
    """One JSON object per record: redacted, a fixed set of fields, the conversation hashed."""

    def format(self, record: logging.LogRecord) -> str:
        redact_record(record)  # idempotent: a record the handler already redacted is kept
        return str(super().format(record))

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord,
                   message_dict: dict[str, Any]) -> None:
        log_data["time"] = datetime.fromtimestamp(record.created, UTC).isoformat()
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.getMessage()
        for key in ("exc_info", "stack_info"):
            if message_dict.get(key):
                log_data[key] = message_dict[key]
        hashed = getattr(record, HASH_ATTRIBUTE, None)
        if hashed:
            log_data["conversation"] = hashed


_RecordFactory = Callable[..., logging.LogRecord]
_previous_factory: _RecordFactory | None = None


def _install_record_factory() -> None:
    """Every record is tagged (and the raw id taken out) as it is made, in the context of
    the code that logs it: a handler may run later or elsewhere."""
    global _previous_factory
    if _previous_factory is not None:
        return
    previous = _previous_factory = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return hide_conversation_id(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)


def use_json_logs(level: int | str | None = None, stream: TextIO | None = None) -> None:
    """Send every record to `stream` (standard error) as redacted JSON: the root logger's
    only handler, and the handler of last resort for loggers that do not propagate (Sanic's).
    `level`: the root logger's level (None: keep it, or INFO where nothing was set)."""
    install_log_redaction()
    _install_record_factory()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactedJsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    if level is not None:
        root.setLevel(level)
    elif root.level in (logging.NOTSET, logging.WARNING):
        root.setLevel(logging.INFO)
    logging.lastResort = handler


def configure(level: int = logging.INFO, environ: Mapping[str, str] = os.environ) -> str:
    """The web app's logging, by RN_LOG_FORMAT; the format chosen."""
    chosen = log_format(environ)
    if chosen == "json":
        use_json_logs(level)
    else:
        # the same privacy as JSON lines: redacted, the conversation's raw id hashed
        install_log_redaction()
        _install_record_factory()
        logging.basicConfig(level=level, format=PLAIN_FORMAT)
    return chosen


def reset_for_tests() -> None:
    """Undo `use_json_logs`' process-wide changes except the handlers (tests restore those)."""
    global _previous_factory
    if _previous_factory is not None:
        logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None
    logging.lastResort = _ORIGINAL_LAST_RESORT
