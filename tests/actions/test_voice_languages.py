"""Every response the assistant says has an English and a Spanish variation (issue 17):
a new reply cannot reach a Spanish speaker in English."""

from __future__ import annotations

import re

import pytest

from tests.actions.helpers import responses

NAMES = sorted(responses())
FIELD = re.compile(r"{(\w+)}")


def _spanish(name: str) -> list[dict]:
    return [
        v for v in responses()[name]
        if any(c.get("name") == "chat_language" and c.get("value") == "es"
               for c in v.get("condition") or [])
    ]


@pytest.mark.parametrize("name", NAMES)
def test_each_response_speaks_both_languages(name: str) -> None:
    variations = responses()[name]
    assert [v for v in variations if not v.get("condition")], f"{name}: no default variation"
    assert _spanish(name), f"{name}: no Spanish variation"


@pytest.mark.parametrize("name", NAMES)
def test_spanish_variations_fill_spanish_words(name: str) -> None:
    """A Spanish text takes the `_es` twin of a variable that has one in English
    ({need_es}, not {need})."""
    english = {f for v in responses()[name] if not v.get("condition")
               for f in FIELD.findall(str(v.get("text") or ""))}
    for variation in _spanish(name):
        for field in FIELD.findall(str(variation.get("text") or "")):
            assert not (field in english and f"{field}_es" in _all_fields(name)), (name, field)


def _all_fields(name: str) -> set[str]:
    return {f for v in responses()[name] for f in FIELD.findall(str(v.get("text") or ""))}
