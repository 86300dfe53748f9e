"""The lines a person is given when nobody can answer are worded in their language, down to
a line's own text instruction ("Text your ZIP code to 435748" → its Spanish in
national_resources.json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from resources_db.national import contract_lines
from web import notices
from web.lines import fallback_lines

ENGLISH_TEXT = "Text your ZIP code to 435748"
SPANISH_TEXT = "Envía tu código postal por mensaje de texto al 435748"


def test_the_helpline_text_instruction_follows_the_language() -> None:
    assert contract_lines(["samhsa_helpline"])[0]["text"] == ENGLISH_TEXT
    assert contract_lines(["samhsa_helpline"], "es")[0]["text"] == SPANISH_TEXT
    # a line whose text is just its number keeps it in every language
    assert contract_lines(["988"], "es")[0]["text"] == "988"


@pytest.mark.parametrize("build", [
    lambda lang, lines: notices.with_lines(lang, notices.UNAVAILABLE, lines),
    lambda lang, lines: notices.assistant_down(lang, lines),
    lambda lang, lines: notices.nobody_free(lang, lines, overdue=False),
])
def test_nobody_available_notices_in_spanish_have_no_english_instruction(
        build: Callable[[str, list[dict[str, Any]]], str]) -> None:
    spanish = build("es", fallback_lines("es"))
    assert "envía tu código postal por mensaje de texto al 435748" in spanish
    assert "ZIP" not in spanish
    english = build("en", fallback_lines("en"))
    assert "text your ZIP code to 435748" in english
