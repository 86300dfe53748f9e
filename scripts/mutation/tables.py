#!/usr/bin/env python
"""Table-level mutation testing: delete one alternative of a module's rule tables at a time.

    .venv/bin/python scripts/mutation/tables.py core/redaction.py tests/bot/test_redaction.py

Most of the behaviour of `core/redaction.py` and `core/crisis/` lives in module-level tables:
regular-expression alternations in string constants ("st|street|ave|..."), and lists, tuples,
sets and dicts of words. mutmut mutates code inside functions and leaves those alone, so this
tool deletes **one alternative at a time** and runs the given tests against the mutant:

- a `|`-separated alternative of any group of a string constant (outside character classes,
  escaped `\\|` is not a separator), including the literal parts of f-strings;
- one element of a list or set, or of a tuple of plain constants;
- one entry of a dict whose keys are constants.

Only module-level assignments are mutated (`NAME = ...`, `NAME: T = ...`, with whatever calls
wrap the value, e.g. `re.compile(...)` or `frozenset({...})`).

The source file is never touched. Each mutant is written to a temporary file and the test run
imports it under the module's own name and file name through a pytest plugin
(`scripts/mutation/mutant_plugin.py`), so Ctrl-C leaves nothing to restore and tests using
`__file__` still find their data. A mutant is *killed* when the tests fail (`-x -q`),
*timeout* when they run longer than `--timeout` (counted as killed: a hang is noticed), and
*survived* when they pass. Tests that run the module in another process (e.g. on the Rasa
Python) see the original module.

Exit status: 0 when the score (killed + timeout over all mutants) reaches `--min-score`
(default 0), else 1; 2 when the tests fail on the unmutated module.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_DIR = Path(__file__).resolve().parent
#: Slow-to-import test libraries, imported once by the forking runner.
#: pytest's own plugins (entry points "pytest11") are imported too.
PRELOAD = "pytest,_pytest.python,hypothesis,aiohttp,aiohttp.test_utils,sqlalchemy,yaml,jsonschema"


@dataclass
class Mutant:
    """One deletion: where (the assignment's name and line) and what was deleted."""

    index: int
    table: str
    line: int
    deleted: str
    source: str = ""
    status: str = ""
    seconds: float = 0.0


# ------------------------------------------------------------------ regex alternatives


def _group_prefix_end(text: str, start: int) -> int:
    """Index after "(" and any "?:", "?P<name>", "?!", "?=", "?<=", "?<!", "?i:" prefix."""
    i = start + 1
    if i < len(text) and text[i] == "?":
        if text.startswith("?P<", i):
            return text.index(">", i) + 1 if ">" in text[i:] else i
        for prefix in ("?<=", "?<!", "?:", "?!", "?="):
            if text.startswith(prefix, i):
                return i + len(prefix)
    return i


def alternative_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text to delete for each alternative of each group in `text`.

    Works on fragments too ("st|street|ave" and the literal parts of f-strings): an
    unbalanced ")" closes the top-level group there, an unclosed "(" ends at the end.
    """
    groups: list[tuple[int, list[int]]] = [(0, [])]  # (content start, separator positions)
    closed: list[tuple[int, int, list[int]]] = []
    i, in_class = 0, False
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if text.startswith("[]", i) or text.startswith("[^]", i):
                i += 2 if text[i + 1] == "]" else 3
                continue
        elif char == "(":
            groups.append((_group_prefix_end(text, i), []))
        elif char == ")":
            start, seps = groups.pop()
            closed.append((start, i, seps))
            if not groups:
                groups.append((i + 1, []))
        elif char == "|":
            groups[-1][1].append(i)
        i += 1
    closed += [(start, len(text), seps) for start, seps in groups]
    spans = []
    for start, end, seps in closed:
        if not seps:
            continue
        bounds = [start - 1, *seps, end]
        for k in range(len(bounds) - 1):
            alt_start, alt_end = bounds[k] + 1, bounds[k + 1]
            # the first alternative takes the "|" after it, the others the "|" before them
            spans.append((alt_start, alt_end + 1) if k == 0 else (alt_start - 1, alt_end))
    return sorted(spans)


# ------------------------------------------------------------------ finding the tables


def _is_plain_constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float))


def _target_name(stmt: ast.stmt) -> str | None:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]  # type: ignore[attr-defined]
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return names[0] if names else None


def _table_statements(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for position, stmt in enumerate(tree.body):
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            name = _target_name(stmt)
            if name is not None:
                yield position, name


def _mutations_of(stmt: ast.stmt) -> Iterator[tuple[list[int], str, object]]:
    """(path of the node in `ast.walk` order, description, how to mutate) for one statement."""
    for node_index, node in enumerate(ast.walk(stmt)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for start, end in alternative_spans(node.value):
                deleted = node.value[start:end].strip("|")
                yield [node_index], deleted, ("string", start, end)
        elif isinstance(node, (ast.List, ast.Set)) or (
            isinstance(node, ast.Tuple) and all(_is_plain_constant(e) for e in node.elts)
        ):
            if len(node.elts) >= 2:
                for k, element in enumerate(node.elts):
                    yield [node_index], ast.unparse(element)[:80], ("element", k)
        elif isinstance(node, ast.Dict) and len(node.keys) >= 2 and all(
            k is not None and _is_plain_constant(k) for k in node.keys
        ):
            for k, key in enumerate(node.keys):
                yield [node_index], ast.unparse(key)[:80] if key else "", ("entry", k)


def _apply(stmt: ast.stmt, node_index: int, how: tuple[object, ...]) -> ast.stmt:
    mutated = copy.deepcopy(stmt)
    node = list(ast.walk(mutated))[node_index]
    if how[0] == "string":
        _, start, end = how
        node.value = node.value[:start] + node.value[end:]  # type: ignore[attr-defined]
    elif how[0] == "element":
        del node.elts[how[1]]  # type: ignore[attr-defined]
    else:
        del node.keys[how[1]]  # type: ignore[attr-defined]
        del node.values[how[1]]  # type: ignore[attr-defined]
    return mutated


def find_mutants(source: str) -> list[Mutant]:
    """Every one-alternative deletion of the module-level tables in `source`."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    mutants: list[Mutant] = []
    for position, name in _table_statements(tree):
        stmt = tree.body[position]
        seen: set[str] = set()
        for (node_index,), deleted, how in _mutations_of(stmt):
            mutated = _apply(stmt, node_index, how)  # type: ignore[arg-type]
            text = ast.unparse(mutated)
            if text in seen or text == ast.unparse(stmt):
                continue
            seen.add(text)
            start, end = stmt.lineno - 1, stmt.end_lineno or stmt.lineno
            new_source = "".join(lines[:start]) + text + "\n" + "".join(lines[end:])
            mutants.append(Mutant(len(mutants) + 1, name, stmt.lineno, deleted, new_source))
    return mutants


# ------------------------------------------------------------------ running the tests


def _module_name(path: Path) -> str:
    relative = path.resolve().relative_to(ROOT).with_suffix("")
    return ".".join(relative.parts)


def _pytest_args(tests: list[str], extra: list[str]) -> list[str]:
    return ["-x", "-q", "--no-header", "-p", "no:cacheprovider",
            "-m", "not stack and not browser", *extra, *tests]


def run_tests(module: str, path: Path, source: str | None, tests: list[str],
              timeout: float, extra: list[str]) -> tuple[str, float]:
    """Run pytest on `tests` in a new process with `module` replaced by `source`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PLUGIN_DIR), str(ROOT), env.get("PYTHONPATH", "")])
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        if source is not None:
            mutant_file = Path(tmp) / "mutant.py"
            mutant_file.write_text(source)
            env["RN_MUTANT_MODULE"] = module
            env["RN_MUTANT_FILE"] = str(path.resolve())
            env["RN_MUTANT_SOURCE"] = str(mutant_file)
        argv = [sys.executable, "-m", "pytest", "-p", "mutant_plugin", *_pytest_args(tests, extra)]
        started = time.monotonic()
        try:
            result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                                    timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return "timeout", time.monotonic() - started
        seconds = time.monotonic() - started
    if source is None and result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
    return _status(result.returncode), seconds


def _status(returncode: int) -> str:
    return {0: "survived", 1: "killed"}.get(returncode, f"error({returncode})")


class ForkRunner:
    """Runs each mutant's tests in a child forked from a process that has already imported
    pytest and the heavy test libraries (several seconds per run saved). The module under
    test must not be imported before the fork, so it is checked to be absent."""

    def __init__(self, module: str, path: Path, tests: list[str], extra: list[str],
                 preload: list[str]) -> None:
        self.module, self.path = module, path
        self.args = _pytest_args(tests, extra)
        os.chdir(ROOT)
        sys.path[:0] = [str(PLUGIN_DIR), str(ROOT)]
        from importlib.metadata import entry_points

        preload = [*preload, *(e.module for e in entry_points(group="pytest11"))]
        for name in preload:
            with contextlib.suppress(ImportError):
                __import__(name)
        if module in sys.modules:
            raise SystemExit(f"--preload imported {module}; leave out what imports it")

    def start(self, source: str | None) -> tuple[int, str]:
        """Fork a child that runs the tests; returns (pid, temporary source file)."""
        handle, source_file = tempfile.mkstemp(prefix="mutant-", suffix=".py")
        with os.fdopen(handle, "w") as out:
            out.write(source or "")
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 3
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                if source is not None:
                    from mutant_plugin import install

                    install(self.module, str(self.path.resolve()), source_file)
                import pytest

                code = int(pytest.main(self.args))
            finally:
                os._exit(code)
        return pid, source_file

    def run_all(self, mutants: list[Mutant], timeout: float, jobs: int,
                on_done: object) -> None:
        pending = list(mutants)
        running: dict[int, tuple[Mutant, str, float]] = {}
        try:
            while pending or running:
                while pending and len(running) < jobs:
                    mutant = pending.pop(0)
                    pid, source_file = self.start(mutant.source)
                    running[pid] = (mutant, source_file, time.monotonic())
                time.sleep(0.05)
                for pid, (mutant, source_file, started) in list(running.items()):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    elapsed = time.monotonic() - started
                    if done == 0 and elapsed < timeout:
                        continue
                    if done == 0:
                        os.kill(pid, 9)
                        os.waitpid(pid, 0)
                        mutant.status = "timeout"
                    else:
                        mutant.status = _status(os.waitstatus_to_exitcode(status))
                    mutant.seconds = elapsed
                    os.unlink(source_file)
                    del running[pid]
                    on_done(mutant)  # type: ignore[operator]
        finally:
            for pid, (_, source_file, _) in running.items():
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                os.unlink(source_file)

    def baseline(self) -> tuple[str, float]:
        probe = Mutant(0, "", 0, "", None)  # type: ignore[arg-type]
        self.run_all([probe], 600, 1, lambda m: None)
        return probe.status, probe.seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="the module's file, e.g. core/redaction.py")
    parser.add_argument("tests", nargs="+", help="pytest files or node ids to run")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--only", default="", help="only tables whose name contains this")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run in parallel")
    parser.add_argument("--timeout", type=float, default=0,
                        help="seconds per run (default: 5x the unmutated run + 10)")
    parser.add_argument("--json", type=Path, help="write every mutant's result here")
    parser.add_argument("--min-score", type=float, default=0.0, help="percent killed to pass")
    parser.add_argument("--pytest-arg", action="append", default=[], help="extra pytest argument")
    parser.add_argument("--no-fork", dest="fork", action="store_false",
                        help="a new Python process per mutant (slower; default forks)")
    parser.add_argument("--preload", default=PRELOAD,
                        help="modules imported once before forking (comma-separated)")
    args = parser.parse_args(argv)

    path = Path(args.module)
    module = _module_name(path)
    mutants = [m for m in find_mutants(path.read_text()) if args.only in m.table]
    if args.list:
        for m in mutants:
            print(f"{m.index:4d} {m.table}:{m.line} -{m.deleted!r}")
        print(f"{len(mutants)} mutants")
        return 0

    def show(m: Mutant) -> None:
        mark = "." if m.status in ("killed", "timeout") else "S" if m.status == "survived" else "E"
        print(mark, end="", flush=True)

    fork = args.fork and hasattr(os, "fork")
    runner = (ForkRunner(module, path, args.tests, args.pytest_arg, args.preload.split(","))
              if fork else None)
    status, baseline = (runner.baseline() if runner else
                        run_tests(module, path, None, args.tests, 600, args.pytest_arg))
    if status != "survived":
        print(f"the tests do not pass on the unmutated module ({status})")
        return 2
    timeout = args.timeout or baseline * 5 + 10
    print(f"{len(mutants)} mutants of {module}; unmutated run {baseline:.1f} s", flush=True)
    try:
        if runner:
            runner.run_all(mutants, timeout, max(1, args.jobs), show)
        else:
            def one(m: Mutant) -> None:
                m.status, m.seconds = run_tests(module, path, m.source, args.tests, timeout,
                                                args.pytest_arg)
                show(m)

            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                list(pool.map(one, mutants))
    except KeyboardInterrupt:
        print("\ninterrupted: the source file was never changed")
        return 130
    print()
    return report(mutants, args.json, args.min_score)


def report(done: list[Mutant], json_path: Path | None, min_score: float) -> int:
    counts: dict[str, int] = {}
    for m in done:
        counts[m.status] = counts.get(m.status, 0) + 1
    survivors = [m for m in done if m.status == "survived"]
    errors = [m for m in done if m.status.startswith("error")]
    for m in survivors:
        print(f"survived {m.table}:{m.line} -{m.deleted!r}")
    for m in errors:
        print(f"{m.status} {m.table}:{m.line} -{m.deleted!r}")
    caught = counts.get("killed", 0) + counts.get("timeout", 0)
    score = 100.0 * caught / len(done) if done else 100.0
    print(f"{len(done)} mutants: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
          + f"; score {score:.1f}% killed")
    if json_path:
        json_path.write_text(json.dumps(
            [{k: v for k, v in asdict(m).items() if k != "source"} for m in done], indent=1))
    return 0 if score >= min_score else 1


if __name__ == "__main__":
    sys.exit(main())
