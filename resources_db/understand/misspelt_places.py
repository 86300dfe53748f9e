"""Misspelt places ("detox near baltimre", "im in hagerstwn md"), when no name in the
message matched the gazetteer exactly.

Only words after "in" / "near" / "from" (up to three, stopping at an ordinary word), or a
short message that is only a place, are tried, with `resolve_place`'s fuzzy matching; the
match must read as a typo of the place's name (see `_plausible_typo`).
"""

from __future__ import annotations

from resources_db.gazetteer import normalize_name
from resources_db.geocode import INTRODUCERS, LEADING_FILLER, Place, resolve_place
from resources_db.understand.places_words import (
    CORRECTION_WORDS,
    NOT_IN_SHORT_ANSWER,
    NOT_MISSPELT_PLACE,
    PlaceFound,
)
from resources_db.understand.text import Message

# A misspelt word shorter than this is more likely another word than a place ("games").
FUZZY_MIN_WORD_CHARS = 5
# A message of at most this many words (besides filler) may be a misspelt place on its own.
SHORT_ANSWER_WORDS = 4


def find_misspelt_place(message: Message, blocked: frozenset[int]) -> PlaceFound | None:
    """A misspelt place after "in"/"near" ("detox near baltimre"), or as the whole answer."""
    tokens = message.tokens
    for position, token in enumerate(tokens):
        if token.norm not in INTRODUCERS - {","}:
            continue
        words = []
        for index in range(position + 1, min(position + 4, len(tokens))):
            norm = tokens[index].norm
            if tokens[index].is_mark or index in blocked or norm in NOT_MISSPELT_PLACE:
                break
            words.append(index)
        found = _resolved_fuzzily(message, words)
        if found is not None:
            return found
    return _short_answer(message, blocked)


def _short_answer(message: Message, blocked: frozenset[int]) -> PlaceFound | None:
    """A short message that is only a (misspelt) place: "baltimor", "im in hagerstwn md"."""
    indexes = [
        i
        for i, token in enumerate(message.tokens)
        if not token.is_mark and token.norm not in LEADING_FILLER | CORRECTION_WORDS
    ]
    if not indexes or len(indexes) > SHORT_ANSWER_WORDS or blocked & set(indexes):
        return None
    if any(message.tokens[i].norm in NOT_IN_SHORT_ANSWER for i in indexes):
        return None
    return _resolved_fuzzily(message, indexes, whole_only=True)


def _resolved_fuzzily(
    message: Message, indexes: list[int], *, whole_only: bool = False
) -> PlaceFound | None:
    for count in range(len(indexes), 0 if not whole_only else len(indexes) - 1, -1):
        chosen = indexes[:count]
        text = " ".join(message.tokens[i].norm for i in chosen)
        if len(text) < 5 or text in LEADING_FILLER:
            continue
        lookup = resolve_place(text)
        typed = message.typed(chosen[0], chosen[-1])
        places = lookup.candidates
        if lookup.status == "unknown" or not _plausible_typo(text, places[0]):
            continue
        if lookup.status == "found" and lookup.place is not None:
            return PlaceFound(place=lookup.place, text=typed, candidates=(lookup.place,))
        return PlaceFound(place=None, text=typed, candidates=tuple(places))
    return None


def _plausible_typo(text: str, place: Place) -> bool:
    """Whether `text` reads as a typo of the place's name, not as another word.

    A typo keeps the first letter ("baltimre"), and is not the name with an ending added
    ("surprised", "holidays") or cut short by more than a letter ("pleasant" / Pleasanton).
    """
    name = normalize_name(place.city or place.label).split()
    for typed_word, name_word in zip(text.split(), name, strict=False):
        if typed_word == name_word:
            continue
        if typed_word[0] != name_word[0] or len(typed_word) < FUZZY_MIN_WORD_CHARS:
            return False
        if typed_word.startswith(name_word):
            return False
        return not (name_word.startswith(typed_word) and len(name_word) - len(typed_word) > 1)
    return True
