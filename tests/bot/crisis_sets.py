"""The labelled crisis sets (tests/bot/crisis_*.csv, text,label[,subject] columns) and what
the detector makes of a text: shared by the English and Spanish crisis tests."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from core.crisis import detect_crisis


def labelled_rows(path: Path) -> list[tuple[str, str]]:
    """(text, label) of each row of a labelled set; label is a crisis kind or "none"."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["text"], row["label"]) for row in csv.DictReader(handle)]


def detected_kind(text: str) -> str:
    """The crisis kind the detector reports for `text`, or "none"."""
    signal = detect_crisis(text)
    return signal.kind if signal else "none"


def assert_reported_as(kind: str, texts: Iterable[str]) -> None:
    """Fail, listing `text -> signal` for each text, unless the detector reports every text
    as `kind`."""
    wrong = [f"{text!r} -> {detect_crisis(text)}" for text in texts if detected_kind(text) != kind]
    assert not wrong, "\n".join(wrong)
