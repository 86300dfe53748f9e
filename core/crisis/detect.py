"""detect_crisis: run the rules over a normalized message, honouring the suppressors.

English and Spanish each have their own normalization, rules, suppressors and clause breaks
(a `Language`). Both are tried on every message, the likelier language first (a count of
common words), so a Spanish message gets a Spanish `CrisisSignal.language` and a message
that mixes the two is still caught by whichever rules know its words.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from core.crisis.model import CrisisSignal, Rule
from core.crisis.rules_en import RULES
from core.crisis.rules_es import RULES_ES
from core.crisis.subject import subject_of
from core.crisis.suppressors import (
    _CLAUSE_BREAK,
    _CLAUSE_PUNCT,
    _OVERLAP_ONLY,
    _PAST_RECURRING,
    _SUPPRESSORS,
    SUPPRESSOR_WINDOW,
)
from core.crisis.suppressors_es import (
    CLAUSE_BREAK_ES,
    OVERLAP_ONLY_ES,
    RECURRING_ES,
    SUPPRESSORS_ES,
)
from core.crisis.textnorm import normalize
from core.crisis.textnorm_es import normalize_es


@dataclass(frozen=True)
class Language:
    """Everything the detector needs to read one language."""

    code: str
    normalize: Callable[[str, int], str]
    rules: tuple[Rule, ...]
    suppressors: Mapping[str, re.Pattern[str]]
    overlap_only: frozenset[str]
    clause_break: re.Pattern[str]
    recurring: re.Pattern[str]


ENGLISH = Language("en", normalize, RULES, _SUPPRESSORS, _OVERLAP_ONLY, _CLAUSE_BREAK,
                   _PAST_RECURRING)
SPANISH = Language("es", normalize_es, RULES_ES, SUPPRESSORS_ES, OVERLAP_ONLY_ES,
                   CLAUSE_BREAK_ES, RECURRING_ES)

#: Words far more common in one language than the other, to decide which rules go first.
_SPANISH_WORDS = re.compile(
    r"\b(?:que|de|la|el|y|en|mi|se|por|con|para|es|esta|lo|un|una|ya|muy|pero|como|si|"
    r"tengo|estoy|quiero|no|hijo|hija|ayuda|porque|los|las|del|le|su|voy|puedo)\b")
_ENGLISH_WORDS = re.compile(
    r"\b(?:the|and|i|to|my|is|a|of|in|it|you|he|she|not|im|with|for|this|that|have|help|"
    r"was|are|just|what|do|dont|cant|me|we|they|his|her)\b")


def languages_for(text: str) -> tuple[Language, ...]:
    """Both languages, the one whose common words `text` uses more first (English on a tie)."""
    lowered = text[:2000].casefold()
    spanish = len(_SPANISH_WORDS.findall(lowered))
    english = len(_ENGLISH_WORDS.findall(lowered))
    return (SPANISH, ENGLISH) if spanish > english else (ENGLISH, SPANISH)


def detect_crisis(text: str) -> CrisisSignal | None:
    """Return what kind of crisis `text` signals, or None.

    Never raises: any input, however strange, gets an answer.
    """
    if not isinstance(text, str):
        return None
    for language in languages_for(text):
        once = language.normalize(text, 1)
        twice = language.normalize(text, 2)
        for norm in (once,) if twice == once else (once, twice):
            signal = _detect_normalized(norm, language)
            if signal is not None:
                return signal
    return None


def locate(text: str, signal: CrisisSignal) -> tuple[int, int]:
    """Start and end of the phrase that fired in the original `text`.

    The whole text when normalization rewrote the phrase ("OD'd" fired as "overdosed").
    """
    words = signal.matched.split()
    if words:
        found = re.search(r"\W+".join(re.escape(w) for w in words), text, re.IGNORECASE)
        if found:
            return found.start(), found.end()
    return 0, len(text)


def _detect_normalized(norm: str, language: Language = ENGLISH) -> CrisisSignal | None:
    if not norm:
        return None
    text = _Scanned(norm, language)
    for rule in language.rules:
        for match in rule.pattern.finditer(text.flat):
            if not text.suppressed(rule, match.start(), match.end()):
                subject = subject_of(text.flat, rule.kind, match.start(), match.end(),
                                     language.code, rule.name)
                return CrisisSignal(rule.kind, " ".join(match.group(0).split()), rule.name,
                                    subject=subject, language=language.code)
    return None


class _Scanned:
    """One normalized message with its clause breaks and suppressor spans, found once.

    Every lookup is a binary search, so a long message full of suppressed near-misses still
    takes linear time, not quadratic.
    """

    def __init__(self, norm: str, language: Language) -> None:
        self.language = language
        self.length = len(norm)
        self.flat = _CLAUSE_PUNCT.sub(" ", norm)  # same length as norm, so positions line up
        breaks = [(m.start(), m.end()) for m in language.clause_break.finditer(norm)]
        self._break_starts = [b[0] for b in breaks]
        self._break_ends = [b[1] for b in breaks]
        self._spans: dict[str, tuple[list[int], list[int], int]] = {}
        self._recurring: bool | None = None

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Start and end of the clause that holds [start, end)."""
        i = bisect.bisect_right(self._break_ends, start) - 1
        j = bisect.bisect_left(self._break_starts, end)
        left = self._break_ends[i] if i >= 0 else 0
        right = self._break_starts[j] if j < len(self._break_starts) else self.length
        return left, right

    def suppressed(self, rule: Rule, start: int, end: int) -> bool:
        for name in rule.suppressors:
            if name in self.language.overlap_only:
                lo, hi = start, end
            else:
                left, right = self.clause(start, end)
                lo = max(left, start - SUPPRESSOR_WINDOW)
                hi = min(right, end + SUPPRESSOR_WINDOW)
            if not self._has_span(name, lo, hi):
                continue
            if name == "past" and self._is_recurring():
                continue  # "I used to ... and it's coming back" is a crisis now
            return True
        return False

    def _has_span(self, name: str, lo: int, hi: int) -> bool:
        """Whether a match of suppressor group `name` overlaps [lo, hi)."""
        if name not in self._spans:
            pattern = self.language.suppressors[name]
            found = [(m.start(), m.end()) for m in pattern.finditer(self.flat)]
            longest = max((e - s for s, e in found), default=0)
            self._spans[name] = ([s for s, _ in found], [e for _, e in found], longest)
        starts, ends, longest = self._spans[name]
        first = bisect.bisect_left(starts, lo - longest)
        last = bisect.bisect_left(starts, hi)
        return any(ends[k] > lo for k in range(first, last))

    def _is_recurring(self) -> bool:
        if self._recurring is None:
            self._recurring = self.language.recurring.search(self.flat) is not None
        return self._recurring
