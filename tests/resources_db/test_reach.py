"""resources_db/reach.py: the one wording of how to reach a national line."""

from __future__ import annotations

from typing import Any

import pytest

from actions.formatting import national_line_text
from resources_db.national import contract_lines, line_by_key
from resources_db.reach import how_to_reach, ways_to_reach
from web.lines import describe


def _entry(key: str) -> dict[str, Any]:
    entry = line_by_key(key)
    assert entry is not None
    return entry


@pytest.mark.parametrize(("key", "language", "ways"), [
    ("988", "en", ["call or text 988"]),
    ("988", "es", ["llama al 988 y oprime 2 para hablar en español",
                   "envía AYUDA por mensaje de texto al 988"]),
    ("emergency", "es", ["llama al 911"]),
    ("crisis_text_line", "en", ["text HOME to 741741"]),
    ("crisis_text_line", "es", ["envía HOME por mensaje de texto al 741741"]),
    ("samhsa_helpline", "en", ["call 1-800-662-4357", "text your ZIP code to 435748"]),
    ("samhsa_helpline", "es", ["llama al 1-800-662-4357",
                               "envía tu código postal por mensaje de texto al 435748"]),
    ("findtreatment", "en", []),
])
def test_each_line_is_reached_in_the_person_s_language(
    key: str, language: str, ways: list[str]
) -> None:
    assert ways_to_reach(_entry(key), language) == ways


def test_a_contract_line_already_in_spanish_is_not_worded_twice() -> None:
    line = contract_lines(["samhsa_helpline"], "es")[0]
    assert ways_to_reach(line, "es")[-1] == "envía tu código postal por mensaje de texto al 435748"


def test_two_ways_read_as_one_phrase() -> None:
    assert how_to_reach(_entry("988"), "es") == (
        "llama al 988 y oprime 2 para hablar en español, o envía AYUDA por mensaje de texto "
        "al 988")
    assert how_to_reach(_entry("samhsa_helpline")) == (
        "call 1-800-662-4357, or text your ZIP code to 435748")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_assistant_and_the_web_app_word_a_line_alike(language: str) -> None:
    """The assistant's list line and the web app's notice say the same words."""
    entry = _entry("samhsa_helpline")
    notice = describe(contract_lines(["samhsa_helpline"], language), language)
    for way in ways_to_reach(entry, language):
        assert way in national_line_text(entry, language) and way in notice
