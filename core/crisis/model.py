"""Shared pieces of the crisis detector: the signal it returns and how rules are written.

Pure standard library; runs on Python 3.10 (Rasa) and 3.11 (app).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

CRISIS_KINDS: tuple[str, ...] = ("overdose", "suicide", "danger")

#: Longer messages are checked on their first this-many characters (a chat message is short;
#: the cap keeps the check fast whatever a client sends).
MAX_CHARS = 20_000


@dataclass(frozen=True)
class CrisisSignal:
    """What fired: the crisis kind, the normalized phrase that matched, and the rule's name."""

    kind: str
    matched: str
    rule: str = ""
    #: Who is in danger, where the words say: "self" ("I took too many"), "other" ("my friend
    #: isn't breathing") or "unknown". Replies to an overdose differ for the two.
    subject: str = "unknown"
    #: The language the matched words are in ("en" or "es").
    language: str = "en"


def rx(pattern: str) -> re.Pattern[str]:
    """Compile a rule written with single spaces; a space matches any run of whitespace."""
    return re.compile(r"\b(?:" + pattern.replace(" ", r"\s+") + r")\b")


def any_of(patterns: Iterable[str]) -> re.Pattern[str]:
    return rx("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    pattern: re.Pattern[str]
    suppressors: tuple[str, ...] = ()


def rule(name: str, kind: str, patterns: Iterable[str], suppressors: Iterable[str] = ()) -> Rule:
    return Rule(name, kind, any_of(patterns), tuple(suppressors))


