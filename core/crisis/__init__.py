"""Spot an overdose, suicide risk or immediate danger in one chat message.

Every message is checked here before anything else the assistant does. The rules are plain
regular expressions over a normalized copy of the text, so every decision can be explained by
the rule name and the phrase that fired (`CrisisSignal.rule`, `CrisisSignal.matched`).

Design (see docs/crisis-detection.md for the reasoning and the measured numbers):
- Missing a crisis is far worse than a false alarm, so the rules lean towards firing.
- A few *suppressors* keep well-known non-emergencies quiet: idioms ("this wait list is
  killing me" never matches a rule at all), harm-reduction and training questions
  ("overdose prevention training"), grief ("I lost a friend to an overdose last year"),
  clear negation ("I'm not suicidal") and clearly past events ("I used to feel suicidal").
  A suppressor only looks at the clause around the match, and a past-tense suppressor is
  ignored when the message says it is happening again.
- Signs that someone is dying right now ("not breathing", "won't wake up", "blue lips",
  "narcan isn't working") are never suppressed.

Modules: `model` (CrisisSignal, how rules are written), `textnorm` (normalize),
`suppressors`, `rules_en` (the English rules), `detect` (detect_crisis, locate).
This package is pure standard library and runs on Python 3.10 (Rasa) and 3.11 (app).
"""

from __future__ import annotations

from core.crisis.detect import detect_crisis, locate
from core.crisis.model import CRISIS_KINDS, MAX_CHARS, CrisisSignal
from core.crisis.textnorm import normalize

__all__ = ["CRISIS_KINDS", "MAX_CHARS", "CrisisSignal", "detect_crisis", "locate", "normalize"]
