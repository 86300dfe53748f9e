"""Summarise a `py-spy record --format raw` profile: where a server's samples go.

    py-spy record --pid PID --duration 40 --rate 200 --nonblocking --format raw -o rasa.txt
    .venv/bin/python bench/profile_summary.py rasa.txt --top 25
    .venv/bin/python bench/profile_summary.py rasa.txt --match sentence_featurizer --match tracker

Prints, for the functions with the most samples, the share of all samples that had the
function anywhere on the stack (inclusive) and at the top (self). `--match TEXT` lists only
frames whose text contains TEXT. Idle threads (waiting in epoll/select/a lock) are counted
as samples like any other, so compare shares between runs, not against 100 %.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

#: "func (path/to/module.py:123)" -> "func (module.py)": one entry per function, not per line.
_LINE = re.compile(r" \((?:.*/)?([^/]+?):\d+\)$")


def frame_name(frame: str) -> str:
    return _LINE.sub(r" (\1)", frame.strip())


def read_stacks(path: Path) -> Counter[tuple[str, ...]]:
    """Collapsed stacks ("a;b;c 12") into {(a, b, c): 12}."""
    stacks: Counter[tuple[str, ...]] = Counter()
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks[tuple(frame_name(f) for f in stack.split(";"))] += int(count)
    return stacks


def shares(stacks: Counter[tuple[str, ...]]) -> tuple[int, Counter[str], Counter[str]]:
    """Total samples, inclusive samples per function, self samples per function."""
    total, inclusive, own = 0, Counter[str](), Counter[str]()
    for stack, count in stacks.items():
        total += count
        for name in set(stack):
            inclusive[name] += count
        own[stack[-1]] += count
    return total, inclusive, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", action="append", default=[])
    args = parser.parse_args()
    total, inclusive, own = shares(read_stacks(args.profile))
    print(f"{total} samples in {args.profile.name}")
    print("| inclusive | self | function |\n|---:|---:|---|")
    shown = 0
    for name, count in inclusive.most_common():
        if args.match and not any(m in name for m in args.match):
            continue
        print(f"| {100 * count / total:5.1f} % | {100 * own[name] / total:5.1f} % | `{name}` |")
        shown += 1
        if shown >= args.top:
            break


if __name__ == "__main__":
    main()
