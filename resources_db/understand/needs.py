"""Needs named anywhere in a message: exact terms, typos, brand and street names, situations.

Guards against reading needs into ordinary words:
- fuzzy matching only for words of FUZZY_MIN_CHARS+ letters, with the same first letter, at
  most one edit (two from ten letters), and never for a word listed in `not_fuzzy`;
- what follows "a ride to" / "no car to get to" up to the end of the clause is where the
  person is going, not another need ("a ride to my suboxone doctor" is transportation);
- a need right after "don't need" / "not" is not asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from resources_db.understand.vocabulary import BROAD, FUZZY_MIN_CHARS, Vocabulary

# Words this long may carry two typos ("bupenorphin"); shorter ones one ("methodone").
TWO_EDITS_MIN_CHARS = 10
# How far (characters) after a transportation mention its "to ..." may start.
DESTINATION_REACH = 24
# A whole answer is at most this long, and these words around it do not change it.
MAX_ANSWER_CHARS = 40
_ANSWER_FILLER = re.compile(
    r"^(?:(?:i|we|need|want|just|looking for|some|please|um|ok|okay|yes|yeah) )*"
    r"|(?: (?:please|pls|plz|thanks|thank you|[,.!?;]))*$"
)
_NEGATION = re.compile(
    r"\b(?:(?:dont|do not|doesnt|does not|didnt|no longer|never)(?: really)?"
    r" (?:need|want|looking for|interested in)(?: a| an| any| the| more)?"
    r"|not(?: a| an| any| looking for| interested in)?) $"
)


@dataclass(frozen=True)
class Mention:
    """A need named in the text: where (characters of the normalized text) and which."""

    start: int
    end: int
    key: str
    exact: bool  # a listed term or a typo of one (not a situation pattern)


@dataclass(frozen=True)
class NeedsFound:
    needs: tuple[str, ...]
    broad_treatment: bool
    #: Character spans of the words that named a need: they are not also a place.
    spans: tuple[tuple[int, int], ...]


def find_needs(text: str, vocabulary: Vocabulary) -> NeedsFound:
    """Needs in normalized `text`, in the order they are first named."""
    answer = _whole_answer(text, vocabulary)
    if answer is not None:
        return NeedsFound(needs=(answer,), broad_treatment=False, spans=((0, len(text)),))
    mentions = _term_mentions(text, vocabulary) + _situation_mentions(text, vocabulary)
    mentions += _fuzzy_mentions(text, vocabulary, taken=mentions)
    mentions = [m for m in mentions if not _negated(text, m)]
    destinations = _destinations(text, vocabulary, mentions)
    kept = [
        m
        for m in mentions
        if m.key == "transportation" or not any(a <= m.start < b for a, b in destinations)
    ]
    kept.sort(key=lambda m: m.start)
    keys = list(dict.fromkeys(m.key for m in kept))
    needs = tuple(k for k in keys if k != BROAD)
    return NeedsFound(
        needs=needs,
        broad_treatment=not needs and BROAD in keys,
        spans=tuple((m.start, m.end) for m in mentions if m.exact),
    )


def _whole_answer(text: str, vocabulary: Vocabulary) -> str | None:
    """A need given as the whole answer ("a ride", "NA please")."""
    if len(text) > MAX_ANSWER_CHARS:
        return None
    return vocabulary.need_answers.get(_ANSWER_FILLER.sub("", text).strip())


def _term_mentions(text: str, vocabulary: Vocabulary) -> list[Mention]:
    return [
        Mention(start, end, key, exact=True)
        for start, end, keys in vocabulary.need_terms.find(text)
        for key in keys
    ]


def _situation_mentions(text: str, vocabulary: Vocabulary) -> list[Mention]:
    return [
        Mention(match.start(), match.end(), key, exact=False)
        for pattern, key in vocabulary.need_situations
        for match in pattern.finditer(text)
    ]


def _fuzzy_mentions(text: str, vocabulary: Vocabulary, *, taken: list[Mention]) -> list[Mention]:
    """Typos of single-word terms ("methodone", "subxone"), in words no term already took."""
    found: list[Mention] = []
    for match in re.finditer(r"[a-z]+", text):
        word = match.group(0)
        if len(word) < FUZZY_MIN_CHARS or word in vocabulary.not_fuzzy:
            continue
        if any(m.exact and m.start <= match.start() < m.end for m in taken):
            continue
        keys = _fuzzy_keys(word, vocabulary)
        found.extend(Mention(match.start(), match.end(), key, exact=True) for key in keys)
    return found


def _fuzzy_keys(word: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    choices = _choices_by_initial(vocabulary).get(word[0], ())
    if not choices:
        return ()
    max_edits = 2 if len(word) >= TWO_EDITS_MIN_CHARS else 1
    best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=max_edits)
    if best is None:
        return ()
    return vocabulary.fuzzy_words[best[0]]


_CHOICES: dict[int, dict[str, tuple[str, ...]]] = {}


def _choices_by_initial(vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Fuzzy words grouped by first letter (built once per vocabulary)."""
    cached = _CHOICES.get(id(vocabulary))
    if cached is None:
        groups: dict[str, list[str]] = {}
        for word in vocabulary.fuzzy_words:
            groups.setdefault(word[0], []).append(word)
        cached = {initial: tuple(words) for initial, words in groups.items()}
        _CHOICES[id(vocabulary)] = cached
    return cached


def _negated(text: str, mention: Mention) -> bool:
    return _NEGATION.search(text, 0, mention.start) is not None


def _destinations(
    text: str, vocabulary: Vocabulary, mentions: list[Mention]
) -> list[tuple[int, int]]:
    """Spans naming where a ride goes: from "ride to" to the end of that clause."""
    rides = [m for m in mentions if m.key == "transportation"]
    if not rides:
        return []
    spans = []
    for match in vocabulary.destination_after.finditer(text):
        if not any(m.start <= match.start() <= m.end + DESTINATION_REACH for m in rides):
            continue
        end_match = vocabulary.clause_end.search(text, match.end())
        spans.append((match.end(), end_match.start() if end_match else len(text)))
    return spans
