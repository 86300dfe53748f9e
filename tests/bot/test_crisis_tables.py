"""Every alternative of the crisis tables is pinned by an example (issue 22, item 13).

The examples in tests/bot/crisis_tables/ are generated from the tables by
tests/bot/crisis_tables_gen.py and then frozen (the *_hand.csv files are hand-written, for the
clause breaks a generator cannot place honestly): deleting one word or one alternative from a
rule, a suppressor, a clause break, a word map or the subject words changes the answer for at
least one of them (the mutation run in docs/crisis-detection.md measures how often).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from core.crisis import detect_crisis
from core.crisis.textnorm import normalize
from core.crisis.textnorm_es import normalize_es

TABLES = Path(__file__).parent / "crisis_tables"


def _rows(name: str) -> list[dict[str, str]]:
    with (TABLES / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _report(wrong: list[str]) -> str:
    return f"{len(wrong)} changed:\n" + "\n".join(wrong[:40])


@pytest.mark.parametrize("name", ["rules_en.csv", "rules_es.csv"])
def test_every_rule_alternative_fires_as_recorded(name: str) -> None:
    wrong = []
    for row in _rows(name):
        signal = detect_crisis(row["text"])
        got = (signal.kind, signal.rule, signal.matched, signal.subject, signal.language) \
            if signal else None
        want = (row["kind"], row["rule"], row["matched"], row["subject"], row["language"])
        if got != want:
            wrong.append(f"{row['text']!r}: want {want}, got {got}")
    assert not wrong, _report(wrong)


@pytest.mark.parametrize("name", ["suppressed_en.csv", "suppressed_es.csv", "quiet_hand.csv"])
def test_every_suppressor_alternative_keeps_its_example_quiet(name: str) -> None:
    wrong = [f"{r['text']!r} ({r.get('group') or r['why']}) -> {s}" for r in _rows(name)
             if (s := detect_crisis(r["text"])) is not None]
    assert not wrong, _report(wrong)


@pytest.mark.parametrize("name", ["fires_en.csv", "fires_es.csv", "fires_hand.csv"])
def test_every_recurring_word_and_clause_break_lets_its_example_fire(name: str) -> None:
    wrong = [f"{r['text']!r} ({r['why']}): want {r['kind']}, got {s}" for r in _rows(name)
             if (s := detect_crisis(r["text"])) is None or s.kind != r["kind"]]
    assert not wrong, _report(wrong)


def test_every_word_map_entry_normalizes_as_recorded() -> None:
    wrong = []
    for row in _rows("normalized.csv"):
        norm = normalize if row["language"] == "en" else normalize_es
        if norm(row["raw"]) != row["normalized"]:
            wrong.append(f"{row['raw']!r}: want {row['normalized']!r}, got {norm(row['raw'])!r}")
    assert not wrong, _report(wrong)


def test_every_person_word_decides_the_subject_as_recorded() -> None:
    wrong = [f"{r['text']!r}: want {r['subject']}, got {s}" for r in _rows("subject.csv")
             if (s := detect_crisis(r["text"])) is None or s.subject != r["subject"]]
    assert not wrong, _report(wrong)


def test_the_examples_cover_every_table() -> None:
    """Guard against an empty or truncated example file (a test that cannot fail)."""
    sizes = {name: len(_rows(name)) for name in
             ("rules_en.csv", "rules_es.csv", "suppressed_en.csv", "suppressed_es.csv",
              "fires_en.csv", "fires_es.csv", "normalized.csv", "subject.csv")}
    assert sizes["rules_en.csv"] >= 1500 and sizes["rules_es.csv"] >= 300, sizes
    assert sizes["suppressed_en.csv"] >= 300 and sizes["suppressed_es.csv"] >= 150, sizes
    assert min(sizes.values()) >= 20, sizes
