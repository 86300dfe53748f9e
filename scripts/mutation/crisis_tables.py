#!/usr/bin/env python
"""Table-level mutation run of the core.crisis package, in one process.

    .venv/bin/python scripts/mutation/crisis_tables.py                  # every module
    .venv/bin/python scripts/mutation/crisis_tables.py core/crisis/rules_es.py --json out.json

The mutants are exactly those of scripts/mutation/tables.py (one alternative, list element or
dict entry deleted from one module-level table at a time; `find_mutants` is reused). What
differs is how they are run: tables.py runs pytest in a forked child per mutant (several
seconds each on a loaded machine, hours for the ~4,600 crisis mutants); this re-imports the
package with the mutated module in-process (the `re` cache keeps the untouched patterns
compiled) and runs the same checks as the tests, stopping at the first wrong answer:

1. tests/bot/crisis_tables/*.csv (test_crisis_tables.py): every example fires / stays quiet /
   normalizes / names its subject as recorded;
2. every labelled set tests/bot/crisis_*.csv (test_crisis.py, test_crisis_es.py): recall 100%,
   the right kind, false alarms at most 1% (documented exceptions aside).

The pytest files run the same checks and more (hypothesis, crisis phrases inside ordinary
messages), so this is a lower bound of what the test suite kills. A mutant that fails to
import (a table the code unpacks) counts as killed. Exit status 1 below --min-score.
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from tables import Mutant, find_mutants  # noqa: E402

PACKAGE = "core.crisis"
MODULES = ["model", "textnorm", "textnorm_es", "suppressors", "suppressors_es", "rules_en",
           "rules_es", "subject", "detect"]
TESTS = ROOT / "tests/bot"
KNOWN_FALSE_ALARMS = {
    "i'm killing myself with this drinking, i need to stop",
    "i'm not going to hurt myself, i just need a bed tonight",
}


@functools.cache
def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves one module's mutated source when the package imports it."""

    def __init__(self, name: str, source: str) -> None:
        self.name, self.source = name, source
        self.path = str(ROOT / (name.replace(".", "/") + ".py"))

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=self.path)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        module.__file__ = self.path
        exec(compile(self.source, self.path, "exec"), module.__dict__)  # noqa: S102


def load_package(mutated: str | None = None, source: str | None = None) -> types.ModuleType:
    """Import core.crisis afresh, with module `mutated` (e.g. "rules_en") built from `source`."""
    for name in [PACKAGE, *(f"{PACKAGE}.{m}" for m in MODULES)]:
        sys.modules.pop(name, None)
    if mutated is None or source is None:
        return importlib.import_module(PACKAGE)
    finder = _MutantFinder(f"{PACKAGE}.{mutated}", source)
    sys.meta_path.insert(0, finder)
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.meta_path.remove(finder)


def checks(package: types.ModuleType) -> list[Callable[[], bool]]:
    """Each returns True when every answer is as the tests expect (stops at the first miss)."""
    detect = package.detect_crisis
    textnorm = sys.modules[f"{PACKAGE}.textnorm"]
    textnorm_es = sys.modules[f"{PACKAGE}.textnorm_es"]
    tables = TESTS / "crisis_tables"

    def rules(name: str) -> Callable[[], bool]:
        rows = _csv(tables / name)

        def run() -> bool:
            for r in rows:
                s = detect(r["text"])
                if s is None or (s.kind, s.rule, s.matched, s.subject, s.language) != (
                        r["kind"], r["rule"], r["matched"], r["subject"], r["language"]):
                    return False
            return True
        return run

    def quiet(name: str) -> Callable[[], bool]:
        rows = _csv(tables / name)
        return lambda: all(detect(r["text"]) is None for r in rows)

    def fires(name: str) -> Callable[[], bool]:
        rows = _csv(tables / name)
        return lambda: all((s := detect(r["text"])) is not None and s.kind == r["kind"]
                           for r in rows)

    def normalized() -> bool:
        for r in _csv(tables / "normalized.csv"):
            norm = textnorm.normalize if r["language"] == "en" else textnorm_es.normalize_es
            if norm(r["raw"]) != r["normalized"]:
                return False
        return True

    def subjects() -> bool:
        return all((s := detect(r["text"])) is not None and s.subject == r["subject"]
                   for r in _csv(tables / "subject.csv"))

    def labelled() -> bool:
        for path in sorted(TESTS.glob("crisis_*.csv")):
            rows = _csv(path)
            alarms = 0
            ordinary = 0
            for r in rows:
                s = detect(r["text"])
                if r["label"] == "none":
                    ordinary += 1
                    alarms += s is not None and r["text"] not in KNOWN_FALSE_ALARMS
                elif s is None or s.kind != r["label"] or (
                        r.get("subject") and s.subject != r["subject"]):
                    return False
            if ordinary and alarms / ordinary > 0.01:
                return False
        return True

    return [rules("rules_en.csv"), rules("rules_es.csv"), quiet("suppressed_en.csv"),
            quiet("suppressed_es.csv"), fires("fires_en.csv"), fires("fires_es.csv"),
            normalized, subjects, labelled, fires("fires_hand.csv"), quiet("quiet_hand.csv")]


def run_mutant(module: str, mutant: Mutant, order: list[int]) -> str:
    try:
        package = load_package(module, mutant.source)
        tests = checks(package)
    except Exception:  # noqa: BLE001 - a mutant that cannot be imported is caught
        return "killed"
    for index in order:
        try:
            if not tests[index]():
                order.remove(index)
                order.insert(0, index)  # the check that killed last is tried first next time
                return "killed"
        except Exception:  # noqa: BLE001 - a crash is a failing test
            return "killed"
    return "survived"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="files under core/crisis (default: all)")
    parser.add_argument("--json", type=Path, help="write every mutant's result here")
    parser.add_argument("--min-score", type=float, default=0.0)
    parser.add_argument("--only", default="", help="only tables whose name contains this")
    args = parser.parse_args(argv)
    names = [Path(m).stem for m in args.modules] or MODULES
    if not all(load_package() and f() for f in checks(load_package())):
        print("the checks fail on the unmutated package", file=sys.stderr)
        return 2
    results, killed, total = [], 0, 0
    for name in names:
        path = ROOT / "core/crisis" / f"{name}.py"
        mutants = [m for m in find_mutants(path.read_text(encoding="utf-8"))
                   if args.only in m.table]
        started, order = time.monotonic(), list(range(11))
        survivors = []
        for mutant in mutants:
            mutant.status = run_mutant(name, mutant, order)
            killed += mutant.status == "killed"
            if mutant.status == "survived":
                survivors.append(mutant)
            results.append({"module": name, "table": mutant.table, "line": mutant.line,
                            "deleted": mutant.deleted, "status": mutant.status})
        total += len(mutants)
        done = len(mutants) - len(survivors)
        print(f"{path.relative_to(ROOT)}: {done}/{len(mutants)} killed "
              f"({done / max(len(mutants), 1):.1%}) in {time.monotonic() - started:.0f} s",
              flush=True)
        for m in survivors:
            print(f"    survived {m.table}:{m.line} -{m.deleted!r}", flush=True)
    load_package()
    score = killed / max(total, 1)
    print(f"total: {killed}/{total} killed ({score:.1%})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    return 0 if score * 100 >= args.min_score else 1


if __name__ == "__main__":
    sys.exit(main())
