"""What the place tests share: the phrasings of place_phrasings.yml, and found_label()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from resources_db.geocode import resolve_place

PHRASINGS: dict[str, list[Any]] = yaml.safe_load(
    Path(__file__).with_name("place_phrasings.yml").read_text(encoding="utf-8")
)


def labelled(name: str) -> list[tuple[str, str]]:
    """The (what is typed, label of the place it names) cases of a part of the phrasings."""
    return [(text, label) for text, label in PHRASINGS[name]]


def found_label(text: str) -> str:
    """The label of the one place `text` resolves to (the test fails unless there is one)."""
    lookup = resolve_place(text)
    assert lookup.status == "found", (text, lookup)
    assert lookup.place is not None
    return lookup.place.label
