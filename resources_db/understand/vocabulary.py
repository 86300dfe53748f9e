"""need_words.yml, read once and compiled into matchers.

The file is the product's one vocabulary of need, insurance and request words, and of the
label each need reads as (see its header): `need_labels()` is what the chat and the peer
console show. Terms are normalized here the same way messages are, so the file may be written
naturally ("can't pay") and still match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from resources_db.understand.text import normalize
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS

VOCABULARY_PATH = Path(__file__).resolve().parent.parent / "need_words.yml"

#: The key that stands for a generic "treatment" / "rehab" ask among the need keys.
BROAD = "broad_treatment"
#: The needs a broad treatment ask searches together (a search treats several as "any of").
TREATMENT_NEEDS: tuple[str, ...] = ("detox", "moud", "outpatient", "residential")
#: Insurance answers: the contract's query values, and "any" for a person who skips.
INSURANCE_ANSWERS: tuple[str, ...] = (*INSURANCE_QUERY_VALUES, "any")
# Kinds of exact terms in a need's entry; `situations` are patterns, read separately.
_TERM_KINDS = ("words", "misspellings", "brands", "street")
# Shorter words are matched only as written: a typo in a short word is another word.
FUZZY_MIN_CHARS = 5


@dataclass(frozen=True)
class TermMatcher:
    """Exact terms (longest first at each position) -> the keys they name."""

    pattern: re.Pattern[str] | None
    keys: Mapping[str, tuple[str, ...]]

    def find(self, text: str) -> Iterable[tuple[int, int, tuple[str, ...]]]:
        """(start, end, keys) of each term in normalized text, left to right, no overlaps."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            yield match.start(), match.end(), self.keys[match.group(0)]


@dataclass(frozen=True)
class Vocabulary:
    """Everything understand() matches, compiled."""

    #: Need key -> the words a person reads for it, in the order of NEEDS.
    need_labels: Mapping[str, str]
    #: the same labels in Spanish (`label_es`), for the responses' Spanish variations
    need_labels_es: Mapping[str, str]
    #: The peer console's quick lookup keywords: each need key as words and each `lookup`.
    lookup_terms: TermMatcher
    need_terms: TermMatcher
    #: Single words eligible for fuzzy matching -> need keys (incl. BROAD).
    fuzzy_words: Mapping[str, tuple[str, ...]]
    not_fuzzy: frozenset[str]
    need_situations: tuple[tuple[re.Pattern[str], str], ...]
    #: Whole-message answers ("a ride", "NA") -> need key.
    need_answers: Mapping[str, str]
    destination_after: re.Pattern[str]
    clause_end: re.Pattern[str]
    insurance_terms: TermMatcher
    insurance_answers: Mapping[str, str]
    insurance_situations: tuple[tuple[re.Pattern[str], str], ...]
    #: Words whose typos are corrected before insurance is read.
    insurance_words: tuple[str, ...]
    someone_else: tuple[re.Pattern[str], ...]
    wants_human: tuple[re.Pattern[str], ...]
    #: Every normalized word of every term: such words are never part of a place name.
    term_words: frozenset[str]


@lru_cache(maxsize=1)
def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """The compiled vocabulary (cached: the file is read once per process)."""
    with path.open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml.load(
            handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    entries: dict[str, dict[str, Any]] = {**raw["needs"], BROAD: raw["broad_treatment"]}
    unknown = set(raw["needs"]) - set(NEEDS)
    if unknown:
        raise ValueError(f"need_words.yml names unknown needs: {sorted(unknown)}")
    unlabelled = [key for key in NEEDS
                  if not all((raw["needs"].get(key) or {}).get(f) for f in ("label", "label_es"))]
    if unlabelled:
        raise ValueError(f"need_words.yml has no label or label_es for needs: {unlabelled}")
    need_keys = _term_keys(entries)
    insurance = raw["insurance"]
    if set(insurance) - set(INSURANCE_ANSWERS):
        raise ValueError(f"need_words.yml names unknown insurance values: {sorted(insurance)}")
    return Vocabulary(
        need_labels={key: str(raw["needs"][key]["label"]).strip() for key in NEEDS},
        need_labels_es={key: str(raw["needs"][key]["label_es"]).strip() for key in NEEDS},
        need_terms=_matcher(need_keys),
        lookup_terms=_matcher(_lookup_keys(raw["needs"])),
        fuzzy_words={
            term: keys
            for term, keys in need_keys.items()
            if " " not in term and len(term) >= FUZZY_MIN_CHARS and term.isalpha()
        },
        not_fuzzy=frozenset(normalize(word) for word in raw.get("not_fuzzy", [])),
        need_situations=_situations(entries),
        need_answers=_answers(entries),
        destination_after=re.compile(f'{raw["destination_after"]}|{raw["destination_after_es"]}'),
        clause_end=re.compile(raw["clause_end"]),
        insurance_terms=_matcher(_term_keys(insurance)),
        insurance_answers=_answers(insurance),
        insurance_situations=_situations(insurance),
        insurance_words=tuple(normalize(word) for word in raw.get("insurance_words", [])),
        someone_else=tuple(re.compile(p) for p in raw["someone_else"]),
        wants_human=tuple(re.compile(p) for p in raw["wants_human"]),
        term_words=frozenset(
            word
            for keys in (need_keys, _term_keys(insurance))
            for term in keys
            for word in term.split()
        ),
    )


def need_labels(language: str = "en") -> Mapping[str, str]:
    """Need key -> its label ("detox" -> "detox and withdrawal care"), in the order of NEEDS;
    `language="es"` gives the Spanish labels ("desintoxicación y abstinencia")."""
    vocabulary = load_vocabulary()
    return vocabulary.need_labels_es if language == "es" else vocabulary.need_labels


def _term_keys(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Normalized term -> the keys that list it (in file order)."""
    keys: dict[str, list[str]] = {}
    for key, entry in entries.items():
        for kind in _TERM_KINDS:
            for term in entry.get(kind) or []:
                normalized = normalize(str(term))
                if normalized and key not in keys.setdefault(normalized, []):
                    keys[normalized].append(key)
    return {term: tuple(values) for term, values in keys.items()}


def _lookup_keys(needs: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    keys: dict[str, tuple[str, ...]] = {normalize(key.replace("_", " ")): (key,) for key in NEEDS}
    for key, entry in needs.items():
        for word in entry.get("lookup") or []:
            keys.setdefault(normalize(str(word)), (key,))
    return keys


def _answers(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    return {
        normalize(str(answer)): key
        for key, entry in entries.items()
        for answer in entry.get("answers") or []
    }


def _matcher(keys: Mapping[str, tuple[str, ...]]) -> TermMatcher:
    if not keys:
        return TermMatcher(pattern=None, keys={})
    # Longest first, so that at one position "sober living house" wins over "sober living".
    alternatives = "|".join(re.escape(term) for term in sorted(keys, key=len, reverse=True))
    return TermMatcher(
        pattern=re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])"), keys=keys
    )


def _situations(
    entries: Mapping[str, Mapping[str, Any]],
) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(pattern), key)
        for key, entry in entries.items()
        for pattern in entry.get("situations") or []
    )
