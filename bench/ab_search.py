"""Before/after search latency on one synthetic directory: runs of several code checkouts,
alternated, each in its own process importing its own `resources_db`, on the same SQLite file.

    git worktree add /tmp/rn-before <commit>        # the code to compare with
    .venv/bin/python bench/ab_search.py --database /tmp/bench_1m.sqlite3 --size 1000000 \\
        --code /tmp/rn-before . --rounds 3

The file is built once with this checkout's `bench_search.build` (its R*Trees are a superset
of what older code reads) and kept for the next run. On a shared machine compare the rounds,
not single numbers; for counts that do not depend on the load, run one worker under valgrind:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null .venv/bin/python \\
        bench/ab_search.py --database /tmp/bench_1m.sqlite3 --worker . --queries 200

and subtract the same with `--queries 0` (imports and the 5 warm-up queries).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from search_queries import random_queries

BENCH = Path(__file__).resolve().parent
WARM_UP = 5


def worker(code: Path, database: Path, count: int) -> dict[str, Any]:
    """Time `search()` of the checkout at `code` (runs in its own process)."""
    sys.path.insert(0, str(code.resolve()))
    from resources_db import search as search_module
    from resources_db.db import session_scope
    from resources_db.geocode import Place
    from resources_db.search import SearchQuery
    from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS

    # the module that looks the point's label up: resources_db.search.relax since search
    # became a package, resources_db.search itself in older checkouts
    labeller = sys.modules.get("resources_db.search.relax", search_module)
    labeller.reverse_place = lambda lat, lon: Place("Synthetic", lat, lon, "point")
    towns = [tuple(t) for t in json.loads(Path(f"{database}.towns.json").read_text())]
    # bench_search.queries (seed 7) built with the checkout's own SearchQuery: bench_search
    # itself imports names older checkouts lack
    queries = random_queries(
        towns, WARM_UP + count, 7, SearchQuery, NEEDS, INSURANCE_QUERY_VALUES, radius_miles=25.0
    )
    wall: list[float] = []
    cpu: list[float] = []
    with session_scope(f"sqlite:///{database}") as session:
        for query in queries[:WARM_UP]:
            search_module.search(session, query)
        for query in queries[WARM_UP:]:
            started, cpu_started = time.perf_counter(), time.process_time()
            search_module.search(session, query)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    if not wall:
        return {}
    return {
        "p50_ms": round(statistics.median(wall), 2),
        "p95_ms": round(_percentile(wall, 0.95), 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(_percentile(cpu, 0.95), 2),
    }


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p * len(ordered)) - 1)]


def ensure_database(database: Path, size: int) -> None:
    if database.exists():
        return
    sys.path.insert(0, str(BENCH))
    from bench_search import build

    towns = build(f"sqlite:///{database}", size, seed=size)
    Path(f"{database}.towns.json").write_text(json.dumps(towns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", type=Path, required=True, help="SQLite file (kept)")
    parser.add_argument("--size", type=int, default=1_000_000, help="services, when building")
    parser.add_argument("--code", type=Path, nargs="+", default=[Path(".")])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.database, args.queries)))
        return
    ensure_database(args.database, args.size)
    print("round | code | search p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | load average")
    for round_number in range(1, args.rounds + 1):
        for code in args.code:
            command = [sys.executable, __file__, "--database", str(args.database)]
            command += ["--worker", str(code), "--queries", str(args.queries)]
            result = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
            load = Path("/proc/loadavg").read_text().split()[0]
            print(
                f"{round_number} | {code} | {result['p50_ms']} | {result['p95_ms']} |"
                f" {result['cpu_p50_ms']} | {result['cpu_p95_ms']} | {load}",
                flush=True,
            )


if __name__ == "__main__":
    main()
