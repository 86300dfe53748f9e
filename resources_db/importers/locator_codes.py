"""The locator's own labels for its filter codes (locator_filter_codes.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

FILTER_CODES_PATH = Path(__file__).resolve().parent.parent / "seed/samhsa/locator_filter_codes.json"


@cache
def code_labels() -> dict[str, str]:
    """Code -> label, e.g. "DT" -> "Detox", "F4" -> "Arabic"."""
    data = json.loads(FILTER_CODES_PATH.read_text(encoding="utf-8"))
    labels: dict[str, str] = {}
    for entries in data.values():
        for entry in entries:
            value = entry.get("value") or ""
            if value:
                labels[value.split("-", 1)[0]] = entry["label"]
    return labels
