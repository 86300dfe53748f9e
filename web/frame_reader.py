"""Reading WebSocket frames: JSON objects within bounds, or nothing.

A frame is rejected (None) when it is not a JSON object, nests deeper than `MAX_DEPTH`, holds a
whole number outside ±(2^53 - 1) (JavaScript's safe range; nothing we store is bigger), a
number that is not finite, or a lone UTF-16 surrogate (it cannot be stored or encoded as
UTF-8). Such frames used to raise inside the handler, and aiohttp then wrote an HTTP error
response into the open socket (issue 22, finding 7).
"""

from __future__ import annotations

import json
import math
from typing import Any

#: objects and arrays inside one another; the deepest legitimate frame (a peer's resource
#: cards) nests 4 levels
MAX_DEPTH = 20
MAX_SAFE_INTEGER = 2**53 - 1
SHARE_LOCATION = "/share_location"
#: payloads the web app itself offers (web/relay.py); typed as they are, they act the same
APP_PAYLOADS = frozenset({"/request_peer", "/wait_for_peer", "/stop_waiting"})


class FrameError(ValueError):
    """The frame is outside the bounds above."""


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > 16:  # cheap guard before int() on a huge digit string
        raise FrameError("number out of range")
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise FrameError("number out of range")
    return value


def _real(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise FrameError("number out of range")
    return value


def _constant(name: str) -> Any:
    raise FrameError(f"{name} is not a number")


def too_deep(raw: str, limit: int = MAX_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than `limit` (checked before parsing, so
    the parser's recursion is never reached)."""
    depth = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def parse_json(raw: str | bytes) -> Any:
    """Parse JSON within the bounds above; raises ValueError (FrameError or the parser's)."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if too_deep(text):
        raise FrameError("nested too deeply")
    value = json.loads(
        text, parse_int=_integer, parse_float=_real, parse_constant=_constant
    )
    if _has_lone_surrogate(value):
        raise FrameError("text holds a lone surrogate")
    return value


def parse_frame(raw: str) -> dict[str, Any] | None:
    """A WebSocket text frame as a JSON object within bounds, or None when it is anything else."""
    try:
        frame = parse_json(raw)
    except ValueError:
        return None
    return frame if isinstance(frame, dict) else None


def for_rasa(text: str, display: str | None) -> str:
    """What Rasa gets for a person's message.

    Rasa reads text starting with '/' as an intent (`/restart` restarts the conversation, and
    answers nothing, so the person got a false "can't answer" fallback). The widget sends a
    `display` title with every payload it offers (buttons, "Talk to a peer", a shared
    location); text a person typed has none, so its leading slashes are dropped and Rasa reads
    the words. The web app's own payloads keep their form, and so does a shared location (it is
    coarsened on the way, docs/privacy.md).
    """
    if display is not None or not text.startswith("/") or text in APP_PAYLOADS:
        return text
    if text.startswith(SHARE_LOCATION):
        return text
    return text.lstrip("/").strip() or text
