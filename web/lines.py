"""National phone lines the web app gives, read through resources_db.national (the one reader
of the bundled, sourced national_resources.json)."""

from __future__ import annotations

from typing import Any

from resources_db.national import BANNER_LINE_KEYS, UNAVAILABLE_LINE_KEYS, contract_lines
from resources_db.reach import ways_to_reach


def fallback_lines(language: str | None = None) -> list[dict[str, Any]]:
    """Shown when the assistant cannot answer or no peer is free: SAMHSA Helpline and 988
    (a text instruction in the person's language where the entry has it)."""
    return list(contract_lines(UNAVAILABLE_LINE_KEYS, language))


def banner_lines() -> list[dict[str, Any]]:
    """The lines in the always-visible crisis bar of the chat page."""
    return list(contract_lines(BANNER_LINE_KEYS))


def describe(lines: list[dict[str, Any]], language: str | None = None) -> str:
    """Plain text such as "SAMHSA National Helpline: call 1-800-662-4357, text your ZIP code
    to 435748" for a message body, worded in `language` by resources_db/reach.py."""
    return "; ".join(f"{item['name']}: {', '.join(ways_to_reach(item, language))}"
                     for item in lines)
