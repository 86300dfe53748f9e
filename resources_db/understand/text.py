"""One normalized form of a message, shared by the need, insurance and place readers.

Normalized text is ASCII, lower case, words separated by single spaces; apostrophes vanish
("can't" -> "cant", "St. Mary's" -> "st marys"); clause marks `, . ! ? ;` stay as tokens so
that a phrase never runs across a sentence. A period after a short word ("St.", "Md.",
"D.C.") is an abbreviation, not a sentence end, and becomes a space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

# Longer messages are read up to here: a paste is not a request, and reading stays fast.
MAX_CHARS = 2_000

CLAUSE_MARKS = frozenset(",.!?;")
# Words (letters of any Latin alphabet, digits, inner apostrophes) and clause marks.
_TOKEN = re.compile(r"[^\W_]+(?:['`\u2019\u2018][^\W_]+)*|[,!?;]|\.(?=\s|$)")
_APOSTROPHES = re.compile(r"['`\u2019\u2018]")
# A period ends a sentence only after a word of this many characters ("Cumberland.", not "St.").
_SENTENCE_WORD_MIN = 4


class Token(NamedTuple):
    """One word or clause mark: its normalized form and how it was typed."""

    norm: str
    typed: str
    start: int = 0  # characters of the original text
    end: int = 0

    @property
    def is_mark(self) -> bool:
        return self.norm in CLAUSE_MARKS


@dataclass(frozen=True)
class Message:
    """A message as tokens, and as one normalized string for phrase patterns."""

    tokens: tuple[Token, ...]
    source: str = ""
    #: The normalized tokens joined by single spaces.
    text: str = ""

    def typed(self, first: int, last: int) -> str:
        """The original text of tokens first..last, as typed ("St. Mary's County")."""
        return self.source[self.tokens[first].start : self.tokens[last].end]


def fold(text: str) -> str:
    """ASCII form of text: accents folded ("español" -> "espanol"), other letters dropped."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def read_message(text: str) -> Message:
    """Tokens of a message (its first MAX_CHARS characters)."""
    source = text[:MAX_CHARS]
    tokens: list[Token] = []
    for match in _TOKEN.finditer(source):
        typed = match.group(0)
        if typed == "." and (not tokens or not _ends_sentence(tokens[-1])):
            continue
        norm = fold(_APOSTROPHES.sub("", typed)).lower()
        if norm.isalnum() and norm.isascii() or norm in CLAUSE_MARKS:
            tokens.append(Token(norm=norm, typed=typed, start=match.start(), end=match.end()))
    return Message(tokens=tuple(tokens), source=source, text=" ".join(t.norm for t in tokens))


def _ends_sentence(previous: Token) -> bool:
    return not previous.is_mark and len(previous.norm) >= _SENTENCE_WORD_MIN


def normalize(text: str) -> str:
    """The normalized string of a phrase, as written in need_words.yml."""
    return read_message(text).text


def token_positions(message: Message, spans: tuple[tuple[int, int], ...]) -> frozenset[int]:
    """Token positions covered by character spans of the normalized text."""
    positions: set[int] = set()
    offset = 0
    for index, token in enumerate(message.tokens):
        end = offset + len(token.norm)
        if any(start < end and offset < stop for start, stop in spans):
            positions.add(index)
        offset = end + 1
    return frozenset(positions)
