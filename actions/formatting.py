"""The pieces the assistant's responses are filled with: need labels and national lines.

The sentences themselves are responses in bot/domain/responses.yml, with a Spanish variation
each; what fills them is worded here, in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from core.contract import FOLLOWUP_FIELDS
from resources_db.understand.vocabulary import need_labels

#: Words for keys that are not needs of the contract (the broad "treatment" search).
_OTHER_LABELS = {"en": {"treatment": "treatment"}, "es": {"treatment": "tratamiento"}}


def need_label(need: str, language: str = "en") -> str:
    """How a need key reads in a sentence ("Here is what I found for ..."): its label (or,
    for "es", `label_es`) in resources_db/need_words.yml; the key itself if it is unknown."""
    known = need_labels(language).get(need) or _OTHER_LABELS.get(language, {}).get(need)
    return known or need.replace("_", " ")


def compact_card(card: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a resource card that follow-up questions need."""
    return {field: card.get(field) for field in FOLLOWUP_FIELDS}


#: How a national line is reached, in each language the assistant speaks. The numbers and
#: keywords come only from resources_db/seed/national_resources.json.
LINE_WORDS: dict[str, dict[str, str]] = {
    "en": {"call": "call {phone}", "text": "text {number}", "keyword": "text {keyword} to {number}",
           "press": "call {phone} and press {press} for Spanish", "website": "see their website",
           "speaks": ""},
    "es": {"call": "llama al {phone}", "text": "envía un mensaje de texto al {number}",
           "keyword": "envía {keyword} por mensaje de texto al {number}",
           "press": "llama al {phone} y marca el {press} para español",
           "website": "mira su sitio web", "speaks": " (atienden en español)"},
}
#: "Text your ZIP code to 435748": what to send, then the number.
_TEXT_INSTRUCTION = re.compile(r"^text (?P<keyword>.+) to (?P<number>[\d-]+)$", re.IGNORECASE)


def national_line_text(line: Mapping[str, Any], language: str = "en") -> str:
    """One national line: name, then how to reach it (only numbers from the national list).

    In Spanish, a line's own Spanish option comes first ("llama al 988 y marca el 2 para
    español"), and a line that lists Spanish says so.
    """
    words = LINE_WORDS.get(language, LINE_WORDS["en"])
    spanish = (line.get("spanish") or {}) if language == "es" else {}
    ways = [way for way in (_call_way(line, words, spanish), _text_way(line, words, spanish))
            if way]
    if line.get("website"):
        ways.append(str(line["website"]))
    how = ", ".join(ways) if ways else words["website"]
    speaks = words["speaks"] if "es" in (line.get("languages") or []) \
        and not spanish.get("press") else ""
    return f"- {line.get('name')}{speaks}: {how}"


def _call_way(line: Mapping[str, Any], words: Mapping[str, str],
              spanish: Mapping[str, Any]) -> str | None:
    phone = line.get("phone")
    if not phone:
        return None
    if spanish.get("press"):
        return words["press"].format(phone=phone, press=spanish["press"])
    return words["call"].format(phone=phone)


def _text_way(line: Mapping[str, Any], words: Mapping[str, str],
              spanish: Mapping[str, Any]) -> str | None:
    if spanish.get("text"):
        text = str(spanish["text"])  # the entry's own Spanish instruction
        return f"{text[0].lower()}{text[1:]}"
    text = str(line.get("text") or "")
    if not text:
        return None
    instruction = _TEXT_INSTRUCTION.match(text)
    if instruction is None:
        if spanish.get("text_keyword"):
            return words["keyword"].format(keyword=spanish["text_keyword"], number=text)
        return words["text"].format(number=text)
    if words is LINE_WORDS["en"]:
        return text  # the line's own words ("Text your ZIP code to 435748")
    return words["keyword"].format(keyword=instruction["keyword"], number=instruction["number"])


def lines_words(lines: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The national lines, one a line, as the responses take them: `lines` (English) and
    `lines_es` (the Spanish variation's)."""
    return {"lines": "\n".join(national_line_text(line) for line in lines),
            "lines_es": "\n".join(national_line_text(line, "es") for line in lines)}
