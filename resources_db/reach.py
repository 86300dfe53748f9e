"""How to reach a national line, in words, in English or Spanish: the one wording of it.

The assistant's answers (actions/formatting.py lists lines), the web app's notices
(web/lines.py) and its crisis replies (web/crisis_text.py) all word a line through
`ways_to_reach`, so "call or text 988" and "llama al 988 y oprime 2 para hablar en español"
read the same everywhere (and as the crisis responses in bot/domain/responses.yml say it).
Numbers and a line's own instructions come from the entry (national_resources.json, read by
resources_db/national.py), never from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

WORDS: dict[str, dict[str, str]] = {
    "en": {"call": "call {phone}", "call_or_text": "call or text {phone}",
           "text": "text {number}", "keyword": "text {keyword} to {number}",
           "press": "call {phone} and press {press} for Spanish", "or": "{first}, or {second}"},
    "es": {"call": "llama al {phone}",
           "call_or_text": "llama o envía un mensaje de texto al {phone}",
           "text": "envía un mensaje de texto al {number}",
           "keyword": "envía {keyword} por mensaje de texto al {number}",
           "press": "llama al {phone} y oprime {press} para hablar en español",
           "or": "{first}, o {second}"},
}
#: "Text HOME to 741741": what to send, then the number.
_TEXT_INSTRUCTION = re.compile(r"^text (?P<keyword>.+) to (?P<number>[\d-]+)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[\d-]+$")


def words_for(language: str | None) -> dict[str, str]:
    return WORDS.get(language or "en", WORDS["en"])


def ways_to_reach(line: Mapping[str, Any], language: str | None = None) -> list[str]:
    """The ways to reach `line` (a national_resources.json entry, or the contract's
    {"name", "phone", "text"}): "call 211"; "call or text 988" when both go to one number.

    In Spanish, the entry's own Spanish options come first: "llama al 988 y oprime 2 para hablar
    en español", "envía AYUDA por mensaje de texto al 988", its translated text instruction.
    """
    words = words_for(language)
    spanish = (line.get("spanish") or {}) if language == "es" else {}
    phone, text = line.get("phone"), _text(line, language)
    if phone and text == phone and not spanish:
        return [words["call_or_text"].format(phone=phone)]
    ways = []
    if phone:
        ways.append(words["press"].format(phone=phone, press=spanish["press"])
                    if spanish.get("press") else words["call"].format(phone=phone))
    if text:
        ways.append(_text_way(text, words, spanish))
    return ways


def how_to_reach(line: Mapping[str, Any], language: str | None = None) -> str:
    """The ways to reach `line` as one phrase: "call 988 and press 2 for Spanish, or text
    AYUDA to 988"."""
    ways = ways_to_reach(line, language)
    if len(ways) == 2:
        return words_for(language)["or"].format(first=ways[0], second=ways[1])
    return ", ".join(ways)


def _text(line: Mapping[str, Any], language: str | None) -> str | None:
    spanish = line.get("spanish") or {}
    if language == "es" and spanish.get("text"):
        return str(spanish["text"])  # the entry's own Spanish instruction
    return str(line["text"]) if line.get("text") else None


def _text_way(text: str, words: Mapping[str, str], spanish: Mapping[str, Any]) -> str:
    if _NUMBER.match(text):
        if spanish.get("text_keyword"):
            return words["keyword"].format(keyword=spanish["text_keyword"], number=text)
        return words["text"].format(number=text)
    instruction = _TEXT_INSTRUCTION.match(text)
    if instruction and words is not WORDS["en"]:
        return words["keyword"].format(keyword=instruction["keyword"],
                                       number=instruction["number"])
    return f"{text[0].lower()}{text[1:]}"  # the line's own words, mid-sentence
