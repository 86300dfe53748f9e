"""Tell keyboard mash ("asdfgh", "xcvb nm", "jjjjjj") from words the model has never seen.

DIET gives *some* intent to any text, often with high confidence: "asdfgh" came out as
`inform`, "jjjjjj" as `affirm`. A person who mashes the keyboard should get the kind
"I didn't catch that" reply instead, so `bot.components.gibberish_filter` turns such messages
into `nlu_fallback`. The difficulty is that an unseen place name ("Blorptown", "Pfafftown")
is also an unknown word and must still reach the form, which re-asks kindly. So a message
counts as mash only when

- none of its words is known (the training data's vocabulary, US state codes), it has no
  number, and
- at least one word has a shape that real words and US place names almost never have: no
  vowel at all (except state codes and common abbreviations), one consonant four times in a
  row ("jjjj"), a run of four keys along the home or bottom row ("asdf", "lkjh"), or five
  home/bottom-row consonants in a row ("sdkjh").

Measured against every US place name in the directory's gazetteer (tests/bot/test_gibberish.py)
and the labelled examples there. Standard library only: it runs in both environments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

_WORD = re.compile(r"[^\W\d_]+|\d+")
_VOWELS = frozenset("aeiouy")
# Runs of four keys along the home or bottom row (and "qwer"): top-row runs such as "erty"
# occur in real words and places ("Liberty"), so they are not used.
_RUNS = ("asdfghjkl", "zxcvbnm", "qwer")
_RUN = 4
# Five consonants in a row, all from the home and bottom rows ("sdkjh"); with top-row letters
# such runs are ordinary English ("Armstrong", "Lightstreet").
_LOW_ROW_CONSONANTS = re.compile(r"[sdfghjklzxcvbnm]{5}")
_REPEATED_CONSONANT = re.compile(r"([bcdfghjklmnpqrstvwxz])\1{3}")

STATE_CODES = frozenset(
    [
        "al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id", "il", "in",
        "ia", "ks", "ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh",
        "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or", "pa", "pr", "ri", "sc", "sd", "tn", "tx",
        "ut", "vt", "va", "vi", "wa", "wv", "wi", "wy", "gu", "as", "mp",
    ]
)
# Vowel-less words that people and place names use ("Mc Allen", "Ft Myers", "St Louis", "kk",
# "ptsd"); the last ones were found in cross-validation (docs/nlu-evaluation.md).
ABBREVIATIONS = frozenset(
    [
        "mc", "mt", "st", "ft", "pk", "dr", "jct", "hts", "twp", "rd", "ln", "blvd", "hwy", "pl",
        "sq", "mtn", "pt", "cty", "brg", "crk", "spgs", "ctr", "hmm", "hm", "mm", "mhm", "brb",
        "nvm", "pls", "plz", "thx", "tbh", "idk", "smh", "ty", "k", "n", "kk", "mhmm", "hmmm",
        "mmm", "mmhm", "shh", "pfft", "nfl", "nba", "tv", "cvs", "ptsd", "lgbtq", "std", "bff",
    ]
)


def words(text: str) -> list[str]:
    """Lower-cased words and numbers without accents ("Mō‘ili‘ili" → "mo", "ili", "ili")."""
    plain = unicodedata.normalize("NFKD", text.lower())
    return _WORD.findall("".join(ch for ch in plain if not unicodedata.combining(ch)))


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every word of the given texts."""
    return frozenset(word for text in texts for word in words(text))


def _keyboard_runs() -> frozenset[str]:
    runs = set()
    for row in _RUNS:
        for start in range(len(row) - _RUN + 1):
            run = row[start : start + _RUN]
            runs.update((run, run[::-1]))
    return frozenset(runs)


_KEYBOARD_RUNS = _keyboard_runs()


def is_mash_word(word: str) -> bool:
    """True for a word shaped like keyboard mash (see the module docstring)."""
    if not word.isalpha() or word in STATE_CODES or word in ABBREVIATIONS:
        return False
    if len(word) >= 2 and not _VOWELS.intersection(word):
        return True
    if _REPEATED_CONSONANT.search(word):
        return True
    if any(word[i : i + _RUN] in _KEYBOARD_RUNS for i in range(len(word) - _RUN + 1)):
        return True
    return bool(_LOW_ROW_CONSONANTS.search(word))


def is_keyboard_mash(text: str, known: Collection[str]) -> bool:
    """True when no word of `text` is known and at least one is shaped like mash."""
    found = words(text)
    if not found:
        return False
    if any(word.isdigit() or word in known or word in STATE_CODES for word in found):
        return False
    return any(is_mash_word(word) for word in found)
