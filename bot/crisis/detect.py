"""detect_crisis: run the rules over a normalized message, honouring the suppressors."""

from __future__ import annotations

import bisect
import re

from bot.crisis.model import CrisisSignal, Rule
from bot.crisis.rules_en import RULES
from bot.crisis.subject import subject_of
from bot.crisis.suppressors import (
    _CLAUSE_BREAK,
    _CLAUSE_PUNCT,
    _OVERLAP_ONLY,
    _PAST_RECURRING,
    _SUPPRESSORS,
    SUPPRESSOR_WINDOW,
)
from bot.crisis.textnorm import normalize


def detect_crisis(text: str) -> CrisisSignal | None:
    """Return what kind of crisis `text` signals, or None.

    Never raises: any input, however strange, gets an answer.
    """
    if not isinstance(text, str):
        return None
    once = normalize(text, stretched_to=1)
    twice = normalize(text, stretched_to=2)
    for norm in (once,) if twice == once else (once, twice):
        signal = _detect_normalized(norm)
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


def _detect_normalized(norm: str) -> CrisisSignal | None:
    if not norm:
        return None
    text = _Scanned(norm)
    for rule in RULES:
        for match in rule.pattern.finditer(text.flat):
            if not text.suppressed(rule, match.start(), match.end()):
                subject = subject_of(text.flat, rule.kind, match.start(), match.end(),
                                     rule=rule.name)
                return CrisisSignal(rule.kind, " ".join(match.group(0).split()), rule.name,
                                    subject=subject)
    return None


class _Scanned:
    """One normalized message with its clause breaks and suppressor spans, found once.

    Every lookup is a binary search, so a long message full of suppressed near-misses still
    takes linear time, not quadratic.
    """

    def __init__(self, norm: str) -> None:
        self.length = len(norm)
        self.flat = _CLAUSE_PUNCT.sub(" ", norm)  # same length as norm, so positions line up
        breaks = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(norm)]
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
            if name in _OVERLAP_ONLY:
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
            found = [(m.start(), m.end()) for m in _SUPPRESSORS[name].finditer(self.flat)]
            longest = max((e - s for s, e in found), default=0)
            self._spans[name] = ([s for s, _ in found], [e for _, e in found], longest)
        starts, ends, longest = self._spans[name]
        first = bisect.bisect_left(starts, lo - longest)
        last = bisect.bisect_left(starts, hi)
        return any(ends[k] > lo for k in range(first, last))

    def _is_recurring(self) -> bool:
        if self._recurring is None:
            self._recurring = _PAST_RECURRING.search(self.flat) is not None
        return self._recurring
