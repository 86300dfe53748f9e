"""National lines inside the assistant's answers are worded in the person's language.

The lines' names and numbers come from resources_db/seed/national_resources.json; a person
writing Spanish reads how to reach them in Spanish, with a line's own Spanish option (988:
press 2, text AYUDA) first.
"""

from __future__ import annotations

import pytest

from actions.family import ActionFamilySupport
from actions.formatting import lines_words, national_line_text
from resources_db.national import line_by_key
from tests.actions.fake_understand import readings
from tests.actions.helpers import make_tracker, rendered, run_action


def _line(key: str) -> dict[str, object]:
    line = line_by_key(key)
    assert line is not None
    return line


def test_the_988_lifeline_in_spanish_gives_its_spanish_options() -> None:
    text = national_line_text(_line("988"), "es")
    assert "llama al 988 y oprime 2 para hablar en español" in text
    assert "envía AYUDA por mensaje de texto al 988" in text
    assert "call" not in text


def test_the_helpline_in_spanish_says_it_speaks_spanish_and_how_to_text() -> None:
    text = national_line_text(_line("samhsa_helpline"), "es")
    assert "(atienden en español)" in text
    assert "llama al 1-800-662-4357" in text
    assert "envía tu código postal por mensaje de texto al 435748" in text


def test_english_lines_read_as_one_sentence() -> None:
    """A line's own instruction reads mid-sentence, and one number to call or text is said
    once (as the web app's notices and crisis replies say it: resources_db/reach.py)."""
    assert national_line_text(_line("samhsa_helpline")) == (
        "- SAMHSA National Helpline: call 1-800-662-4357, text your ZIP code to 435748, "
        "https://www.samhsa.gov/find-help/national-helpline")
    assert national_line_text(_line("988")) == (
        "- 988 Suicide & Crisis Lifeline: call or text 988, https://988lifeline.org")


def test_a_keyword_line_keeps_its_keyword_in_spanish() -> None:
    assert "envía HOME por mensaje de texto al 741741" in national_line_text(
        _line("crisis_text_line"), "es")


def test_both_languages_are_given_to_the_responses() -> None:
    words = lines_words([_line("211")])
    assert "call 211" in words["lines"] and "llama al 211" in words["lines_es"]


async def test_a_spanish_family_answer_words_its_lines_in_spanish(
        monkeypatch: pytest.MonkeyPatch) -> None:
    readings(monkeypatch, {})
    tracker = make_tracker({"chat_language": "es"}, "mi hijo consume, que hago")
    messages, _ = await run_action(ActionFamilySupport(), tracker)
    spanish = rendered(messages, "es")
    assert "llama al 1-800-662-4357" in spanish
    assert "call 1-800" not in spanish
