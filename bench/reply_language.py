"""Which language a bot reply is written in, by a rule a person can check by hand.

The words of a reply (its texts and its button titles; payloads and custom objects are not
words a person reads) are lower-cased, stripped of accents and split into words. Each word
that is a common Spanish function word counts for Spanish, each common English function word
for English; words that are both ("a", "no", "me", "son") and everything else (names, numbers,
"Narcan", "Medicaid") count for neither. A reply is Spanish when it has at least
`MIN_CUE_WORDS` Spanish cue words and more Spanish than English ones; English the same way
round; otherwise it has no clear language (no words, a payload only, or a mixed reply with as
many of each).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench.heldout import Verdict, describe

MIN_CUE_WORDS = 2


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


SPANISH_WORDS = _word_set("""
    el la los las un una unos unas lo al del de en y o u que con por para sin sobre entre
    hasta desde es esta estan estas este estos esto eso esa ese soy somos eres fue ser
    estar hay tiene tienes tengo tenemos puede puedes puedo podemos quieres quiere quiero
    necesitas necesita necesito usted ustedes tu su sus mi mis te le les nos yo ella ellos
    donde cual cuales cuando como quien porque pero tambien muy mas aqui alli ahora hoy
    gracias hola si claro ayuda ayudar buscar busco encontre encontrar llamar llame llama
    cerca lugar lugares ciudad codigo postal seguro algo alguien nada todo todos cada otra
    otro otros
""")

ENGLISH_WORDS = _word_set("""
    the an and or of to in on at for with without from about into by is are was were be
    been being am do does did have has had can could will would should may might you your
    yours i my we our they their he she his her it its this that these those what which
    who where when how why here there not dont cant im ive youre its lets if but so just
    also very more some any all each other find found help look looking near place city
    zip code call please thanks thank hi hello yes sure
""")

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class LanguageCount:
    """What the rule saw: the cue words of each language and the decision."""

    spanish: int
    english: int

    @property
    def language(self) -> str | None:
        """The language: "es", "en", or None when the reply has no clear one."""
        if self.spanish >= MIN_CUE_WORDS and self.spanish > self.english:
            return "es"
        if self.english >= MIN_CUE_WORDS and self.english > self.spanish:
            return "en"
        return None


def words_of(reply: Sequence[Mapping[str, Any]]) -> list[str]:
    """The words a person reads in a reply: texts and button titles, accents removed."""
    parts = []
    for message in reply:
        if message.get("text"):
            parts.append(str(message["text"]))
        parts += [str(b.get("title") or "") for b in message.get("buttons") or []]
    plain = unicodedata.normalize("NFKD", " ".join(parts).lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).replace("'", "")
    return _WORD.findall(plain)


def count(reply: Sequence[Mapping[str, Any]]) -> LanguageCount:
    words = words_of(reply)
    return LanguageCount(
        spanish=sum(w in SPANISH_WORDS for w in words),
        english=sum(w in ENGLISH_WORDS for w in words),
    )


def reply_language(reply: Sequence[Mapping[str, Any]]) -> str | None:
    """The language of a reply: "es", "en" or None (see the module docstring)."""
    return count(reply).language


def worded_by_the_web_app(reply: Sequence[Mapping[str, Any]]) -> bool:
    """A reply of no words but a `requested` handoff (actions/handoff.py): what the person
    reads is the web app's answer, not Rasa's."""
    return not words_of(reply) and any(
        isinstance(m.get("custom"), Mapping) and m["custom"].get("type") == "handoff"
        and m["custom"].get("status") == "requested" for m in reply)


def judge_first_reply_language(
    verdict: Verdict, first: Sequence[Mapping[str, Any]], expected: str
) -> Verdict:
    """The verdict, failed too when the first reply is not in the expected language; the
    details keep both findings for the report."""
    counted = count(first)
    details = {
        **verdict.details,
        "behaviour_passed": verdict.passed,
        "first_reply_language": counted.language,
    }
    if counted.language is None and worded_by_the_web_app(first):
        # The assistant only asked for a peer: the web app words its answer, in the language
        # the person writes in (web/relay_handoff.py); nothing of Rasa's to judge here.
        details["first_reply_language"] = "web app"
        return Verdict(verdict.passed, verdict.why, verdict.turns_to_result, details)
    if counted.language == expected:
        return Verdict(verdict.passed, verdict.why, verdict.turns_to_result, details)
    problem = (
        f"first reply not in {expected} ({counted.language or 'no clear language'}: "
        f"{counted.spanish} Spanish, {counted.english} English cue words): "
        f"{describe(first)}"
    )
    why = f"{verdict.why}; {problem}" if verdict.why else problem
    return Verdict(False, why, verdict.turns_to_result, details)
