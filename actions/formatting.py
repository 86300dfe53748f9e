"""The pieces the assistant's responses are filled with: need labels and national lines.

The sentences themselves are responses in bot/domain/responses.yml, with a Spanish variation
each; what fills them is worded here, in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.contract import FOLLOWUP_FIELDS
from resources_db.reach import ways_to_reach
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


#: The list line's own words; how a line is reached is resources_db/reach.py's.
LIST_WORDS: dict[str, dict[str, str]] = {
    "en": {"website": "see their website", "speaks": ""},
    "es": {"website": "mira su sitio web", "speaks": " (atienden en español)"},
}


def national_line_text(line: Mapping[str, Any], language: str = "en") -> str:
    """One national line: name, then how to reach it (only numbers from the national list).

    In Spanish, a line's own Spanish option comes first ("llama al 988 y oprime 2 para hablar
    en español"), and a line that lists Spanish says so.
    """
    words = LIST_WORDS.get(language, LIST_WORDS["en"])
    ways = ways_to_reach(line, language)
    if line.get("website"):
        ways.append(str(line["website"]))
    how = ", ".join(ways) if ways else words["website"]
    spanish = (line.get("spanish") or {}) if language == "es" else {}
    speaks = words["speaks"] if "es" in (line.get("languages") or []) \
        and not spanish.get("press") else ""
    return f"- {line.get('name')}{speaks}: {how}"


def lines_words(lines: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The national lines, one a line, as the responses take them: `lines` (English) and
    `lines_es` (the Spanish variation's)."""
    return {"lines": "\n".join(national_line_text(line) for line in lines),
            "lines_es": "\n".join(national_line_text(line, "es") for line in lines)}
