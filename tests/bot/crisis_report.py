"""Print recall, kind accuracy and false-alarm rate of core.crisis on the labelled sets.

    .venv/bin/python tests/bot/crisis_report.py            # every crisis_*.csv + Rasa NLU examples
    .venv/bin/python tests/bot/crisis_report.py FILE.csv   # any CSV with text,label columns

The Rasa NLU training examples (data/nlu/*.yml) were written for the intent classifier,
independently of these rules: every example of another intent that fires is a false alarm.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from core.crisis import CRISIS_KINDS, detect_crisis  # noqa: E402

#: Every labelled set: tests/bot/crisis_*.csv (text,label[,subject] columns).
DEFAULT_SETS = sorted((REPO / "tests/bot").glob("crisis_*.csv"))


def report(path: Path) -> list[str]:
    """Lines of a small table for one labelled CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(handle)]
    predicted = {text: detect_crisis(text) for text, _ in rows}
    lines = [f"{path.name}: {len(rows)} messages"]
    for kind in CRISIS_KINDS:
        texts = [t for t, label in rows if label == kind]
        if not texts:
            continue
        caught = sum(1 for t in texts if predicted[t] is not None)
        right_kind = sum(1 for t in texts if (s := predicted[t]) is not None and s.kind == kind)
        lines.append(f"  {kind:9} n={len(texts):3}  recall={caught / max(len(texts), 1):.3f}  "
                     f"right kind={right_kind / max(len(texts), 1):.3f}")
    ordinary = [t for t, label in rows if label == "none"]
    alarms = [t for t in ordinary if predicted[t] is not None]
    if not ordinary:
        return lines
    lines.append(f"  none      n={len(ordinary):3}  false alarms={len(alarms)} "
                 f"({len(alarms) / max(len(ordinary), 1):.1%})")
    lines += [f"    alarm: {t!r} -> {predicted[t]}" for t in alarms]
    return lines


_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def nlu_report(folder: Path) -> list[str]:
    """False alarms (and missed `crisis` examples) among the Rasa NLU training examples."""
    import yaml

    ordinary, alarms, crisis, missed = 0, [], 0, []
    for path in sorted(folder.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in item:
                continue
            for line in item["examples"].splitlines():
                if not line.strip().startswith("- "):
                    continue
                text = _ANNOTATION.sub(r"\1", line.strip()[2:])
                signal = detect_crisis(text)
                if item["intent"] == "crisis":
                    crisis += 1
                    missed += [text] if signal is None else []
                else:
                    ordinary += 1
                    alarms += [f"{item['intent']}: {text!r} -> {signal}"] if signal else []
    lines = [f"{folder}: {ordinary} examples of other intents, {len(alarms)} false alarms; "
             f"{crisis} crisis examples, {len(missed)} missed"]
    return lines + [f"    alarm: {a}" for a in alarms] + [f"    missed: {m!r}" for m in missed]


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or DEFAULT_SETS
    for path in paths:
        print("\n".join(report(path)))
    if not sys.argv[1:] and (REPO / "data/nlu").is_dir():
        print("\n".join(nlu_report(REPO / "data/nlu")))
