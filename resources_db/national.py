"""National lines and directories from resources_db/seed/national_resources.json.

These are the only phone numbers the assistant may give that do not come from the directory,
so everything here is read from that file and never typed in code.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

NATIONAL_RESOURCES_PATH = Path(__file__).resolve().parent / "seed" / "national_resources.json"

#: Which national lines a crisis reply lists, by crisis kind, most urgent first.
#: The keys are the `key` fields of national_resources.json (reasons in docs/crisis-detection.md).
CRISIS_LINE_KEYS: dict[str, tuple[str, ...]] = {
    "overdose": ("emergency", "poison_control", "988"),
    "suicide": ("988", "crisis_text_line", "emergency"),
    "danger": ("emergency", "dv_hotline", "988"),
}


#: The lines given when no peer can take the conversation or the assistant cannot answer
#: (the web app's notices and the handoff action), and those of the chat page's crisis bar.
UNAVAILABLE_LINE_KEYS: tuple[str, ...] = ("samhsa_helpline", "988")
BANNER_LINE_KEYS: tuple[str, ...] = ("emergency", "988")


@lru_cache(maxsize=1)
def _entries() -> tuple[dict[str, Any], ...]:
    with NATIONAL_RESOURCES_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return tuple(data["resources"])


def national_lines(categories: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Entries whose categories intersect `categories` (all entries for None), in file order.

    Returns copies, so a caller may change them freely.
    """
    wanted = None if categories is None else set(categories)
    return [
        copy.deepcopy(entry)
        for entry in _entries()
        if wanted is None or wanted.intersection(entry.get("categories", ()))
    ]


def line_by_key(key: str) -> dict[str, Any] | None:
    """The entry with this `key` (a copy), or None."""
    for entry in _entries():
        if entry.get("key") == key:
            return copy.deepcopy(entry)
    return None


def crisis_lines(kind: str) -> list[dict[str, str | None]]:
    """The lines for a crisis reply in the contract's {"name", "phone", "text"} shape.

    `phone` and `text` are null when the line has no such channel (Crisis Text Line has no
    voice number). Raises ValueError for a kind other than overdose, suicide or danger.
    """
    try:
        keys = CRISIS_LINE_KEYS[kind]
    except KeyError:
        raise ValueError(
            f"unknown crisis kind {kind!r}; expected one of {sorted(CRISIS_LINE_KEYS)}"
        ) from None
    return contract_lines(keys)


def contract_lines(keys: Iterable[str], language: str | None = None
                   ) -> list[dict[str, str | None]]:
    """These lines in the contract's {"name", "phone", "text"} shape, in the order asked; a
    key the seed file has lost is left out, never guessed. For a person writing Spanish
    (`language` "es"), a text instruction in words ("Text your ZIP code to 435748") is the
    entry's own Spanish one when it has it."""
    lines = []
    for key in keys:
        entry = line_by_key(key)
        if entry is not None:
            lines.append({"name": entry["name"], "phone": entry.get("phone"),
                          "text": line_text(entry, language)})
    return lines


def line_text(entry: dict[str, Any], language: str | None = None) -> str | None:
    """How to text the line ("988", "Text HOME to 741741"), in Spanish where the entry has it."""
    spanish = entry.get("spanish") or {}
    if language == "es" and spanish.get("text"):
        return str(spanish["text"])
    text = entry.get("text")
    return str(text) if text else None
