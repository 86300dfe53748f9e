"""National phone lines the web app may give, always read from the bundled, sourced JSON."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from web.i18n import translate

SEED_FILE = (
    Path(__file__).resolve().parent.parent / "resources_db" / "seed" / "national_resources.json"
)
FALLBACK_KEYS = ("samhsa_helpline", "988")
ALWAYS_KEYS = ("emergency", "988")


@lru_cache(maxsize=1)
def _entries() -> dict[str, dict[str, Any]]:
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    return {entry["key"]: entry for entry in data["resources"] if "key" in entry}


def line(key: str) -> dict[str, Any]:
    """One line in the contract's {"name", "phone", "text"} shape (missing values are None)."""
    entry = _entries()[key]
    return {"name": entry["name"], "phone": entry.get("phone"), "text": entry.get("text")}


def fallback_lines() -> list[dict[str, Any]]:
    """Shown when the assistant cannot answer or no peer is free: SAMHSA Helpline and 988."""
    return [line(key) for key in FALLBACK_KEYS]


def banner_lines() -> list[dict[str, Any]]:
    """The lines in the always-visible crisis bar of the chat page."""
    return [line(key) for key in ALWAYS_KEYS]


def describe(lines: list[dict[str, Any]], language: str | None = None) -> str:
    """Plain text such as "SAMHSA National Helpline: 1-800-662-4357" for a message body (its
    few words in `language`, web/i18n.py)."""
    parts = []
    for item in lines:
        phone, text = item["phone"], item["text"]
        how = phone or text
        if phone and text == phone:
            how = translate(language, "call or text %(phone)s", phone=phone)
        elif phone and text:
            how = f"{phone} ({text[0].lower()}{text[1:]})"
        parts.append(f"{item['name']}: {how}")
    return "; ".join(parts)
