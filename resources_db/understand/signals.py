"""Insurance answers and the two requests: for someone else, and for a human.

Insurance is read in this order: a lost or ended coverage ("insurance cut me off": none);
the whole message as a short answer ("Husky", "skip", "private"); a named plan or phrase
anywhere ("I have blue cross"). Words that only make sense as a whole answer ("any",
"work", "skip") are never read inside a sentence ("any detox near me").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from resources_db.understand.vocabulary import Vocabulary

# A short answer ("just medicaid please") is at most this long; longer text is a sentence.
MAX_ANSWER_CHARS = 60
# Words around a short answer that do not change it ("I have Husky", "just medicaid pls").
_ANSWER_FILLER = re.compile(
    r"^(?:(?:um|uh|ok|okay|well|so|oh|yes|yeah|i|we|have|got|its|it is|just|my|our|insurance"
    r"|is|i have|we have|ive got|i got|use|plan|the|through|thru) )*"
    r"|(?: (?:insurance|plan|coverage|please|pls|plz|thanks|thank you|i guess|[,.!?;]))*$"
)
_INSURANCE_NEGATION = re.compile(
    r"\b(?:dont|do not|doesnt|does not|no longer|not|never) (?:have|got|use|take)(?: a| any)? $"
)


def find_insurance(
    text: str, vocabulary: Vocabulary, *, need_spans: Sequence[tuple[int, int]] = ()
) -> str | None:
    """The insurance answer in normalized `text`, or None when none is given.

    `need_spans` are the words that asked for help with insurance ("apply for medicaid"):
    the plan named there is what the person wants, not what they have.
    """
    text = _corrected(text, vocabulary)
    for pattern, value in vocabulary.insurance_situations:
        if pattern.search(text):
            return value
    if len(text) <= MAX_ANSWER_CHARS:
        answer = _ANSWER_FILLER.sub("", text).strip()
        if answer in vocabulary.insurance_answers:
            return vocabulary.insurance_answers[answer]
    for start, end, values in vocabulary.insurance_terms.find(text):
        if any(a <= start < b or start <= a < end for a, b in need_spans):
            continue
        if _INSURANCE_NEGATION.search(text, 0, start):
            continue
        return values[0]
    return None


def _corrected(text: str, vocabulary: Vocabulary) -> str:
    """Typos of the insurance words put right ("insuranse", "medicade" -> the word itself).

    One edit (OSA), same first letter, words of 6+ letters not in `not_fuzzy` ("medicine").
    The text keeps its length only loosely; callers use character spans of the original text
    (need_spans) only to skip plans named inside a need, which typos here do not move far.
    """
    words = vocabulary.insurance_words

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 6 or word in words or word in vocabulary.not_fuzzy:
            return word
        if word in vocabulary.insurance_terms.keys or word in vocabulary.need_terms.keys:
            return word  # a listed spelling ("medicade" is Medicaid, not Medicare)
        best = process.extractOne(word, words, scorer=OSA.distance, score_cutoff=1)
        return best[0] if best is not None and best[0][0] == word[0] else word

    return re.sub(r"[a-z]+", fix, text)


def is_for_someone_else(text: str, vocabulary: Vocabulary) -> bool:
    """The person asks for someone else ("my son is using", "how do I help my wife")."""
    return any(pattern.search(text) for pattern in vocabulary.someone_else)


def wants_human(text: str, vocabulary: Vocabulary) -> bool:
    """The person asks, in so many words, for a human ("get me a real person")."""
    bare = re.sub(r"(?: [,.!?;])+$", "", text)
    return any(pattern.search(bare) for pattern in vocabulary.wants_human)
