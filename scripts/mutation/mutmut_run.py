#!/usr/bin/env python
"""In-function mutation testing of one module with mutmut, on a copy of the checkout.

    .venv/bin/python scripts/mutation/mutmut_run.py core/redaction.py tests/bot/test_redaction.py

mutmut (pinned in requirements/app.in) reads its settings from `[tool.mutmut]` of the
pyproject.toml in the directory it runs in and writes a `mutants/` tree there. To mutate any
one module against any test files without editing the project's pyproject.toml, this copies
the tracked files (`git ls-files`) to `var/mutation/<module>/`, links the environments, writes
the `[tool.mutmut]` section for MODULE and TESTS into the copy's pyproject.toml and runs
`mutmut run` there, then prints the survivors and the score. The checkout itself is never
changed. Re-running reuses the copy's results for unchanged code; `--fresh` starts over.

mutmut mutates code inside functions (operators, constants, arguments...); the module-level
tables are mutated by scripts/mutation/tables.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINKED = (".venv", ".venv-rasa", "models")


def _tracked() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.splitlines()


def _copy_checkout(work: Path, files: list[str]) -> None:
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_bytes() != source.read_bytes():
                shutil.copy2(source, target)
    for name in LINKED:
        if (ROOT / name).exists() and not (work / name).exists():
            (work / name).symlink_to(ROOT / name)


def _config(module: str, tests: list[str], extra: list[str], files: list[str]) -> str:
    top = module.split("/")[0]
    # mutmut runs the tests in mutants/: everything the tests import must be copied there
    packages = sorted({f.split("/")[0] for f in files if "/" in f and f.endswith(".py")} - {top})
    return "\n".join([
        "",
        "[tool.mutmut]",
        f"source_paths = {json.dumps([top])}",
        f"only_mutate = {json.dumps([module])}",
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
        "pytest_add_cli_args = "
        + json.dumps(["-q", "-p", "no:cacheprovider", "-m", "not stack and not browser", *extra]),
        f"also_copy = {json.dumps(packages)}",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="the module's file, e.g. core/redaction.py")
    parser.add_argument("tests", nargs="+", help="pytest files to run against each mutant")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--jobs", type=int, default=1, help="mutmut's --max-children")
    parser.add_argument("--pytest-arg", action="append", default=[], help="extra pytest argument")
    args = parser.parse_args(argv)

    work = ROOT / "var" / "mutation" / re.sub(r"\W", "_", args.module)
    if args.fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    files = _tracked()
    _copy_checkout(work, files)
    pyproject = work / "pyproject.toml"
    text = re.sub(r"\n\[tool\.mutmut\].*?(?=\n\[|\Z)", "", pyproject.read_text(), flags=re.S)
    pyproject.write_text(text + _config(args.module, args.tests, args.pytest_arg, files))

    mutmut = str(Path(sys.executable).with_name("mutmut"))
    env = {**os.environ, "PYTHONPATH": str(work)}
    subprocess.run([mutmut, "run", "--max-children", str(args.jobs)], cwd=work, env=env,
                   check=False)
    results = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, env=env,
                             capture_output=True, text=True, check=False).stdout
    return report(results, work)


def report(results: str, work: Path) -> int:
    statuses: dict[str, list[str]] = {}
    for line in results.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            statuses.setdefault(status, []).append(name)
    for name in statuses.get("survived", []):
        print(f"survived {name}   (show it: cd {work} && .venv/bin/mutmut show {name})")
    total = sum(len(v) for v in statuses.values())
    caught = sum(len(statuses.get(k, [])) for k in ("killed", "timeout", "segfault"))
    counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(statuses.items()))
    score = 100.0 * caught / total if total else 0.0
    print(f"{total} mutants: {counts}; score {score:.1f}% killed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
