"""Print recall, kind accuracy and false-alarm rate of bot.crisis on the labelled sets.

    .venv/bin/python tests/bot/crisis_report.py            # both sets
    .venv/bin/python tests/bot/crisis_report.py FILE.csv   # any CSV with text,label columns
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.crisis import CRISIS_KINDS, detect_crisis  # noqa: E402

DEFAULT_SETS = [REPO / "tests/bot/crisis_labelled.csv", REPO / "tests/bot/crisis_holdout.csv"]


def report(path: Path) -> list[str]:
    """Lines of a small table for one labelled CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(handle)]
    predicted = {text: detect_crisis(text) for text, _ in rows}
    lines = [f"{path.name}: {len(rows)} messages"]
    for kind in CRISIS_KINDS:
        texts = [t for t, label in rows if label == kind]
        caught = sum(1 for t in texts if predicted[t] is not None)
        right_kind = sum(1 for t in texts if (s := predicted[t]) is not None and s.kind == kind)
        lines.append(f"  {kind:9} n={len(texts):3}  recall={caught / max(len(texts), 1):.3f}  "
                     f"right kind={right_kind / max(len(texts), 1):.3f}")
    ordinary = [t for t, label in rows if label == "none"]
    alarms = [t for t in ordinary if predicted[t] is not None]
    lines.append(f"  none      n={len(ordinary):3}  false alarms={len(alarms)} "
                 f"({len(alarms) / max(len(ordinary), 1):.1%})")
    lines += [f"    alarm: {t!r} -> {predicted[t]}" for t in alarms]
    return lines


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or DEFAULT_SETS
    for path in paths:
        print("\n".join(report(path)))
