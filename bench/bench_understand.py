"""Time of `resources_db.understand.understand` per message (the action server calls it on
every turn).

    .venv/bin/python bench/bench_understand.py            # p50 / p95 / max over the set
    .venv/bin/python bench/bench_understand.py --rounds 50

The messages are typical openings written for this benchmark (typos, brand names, places in
sentences, insurance), plus the slow kinds: a misspelt place that needs fuzzy matching and a
2,000-character paste. The first call (which loads the gazetteer and compiles the word file)
is reported separately.
"""

from __future__ import annotations

import argparse
import statistics
import time

from resources_db.understand import understand

MESSAGES = [
    "I need detocks in Cumberland, Maryland",
    "methodone clinic near Newport News, VA",
    "looking for suboxen in St. Mary's County",
    "I need a ride to my suboxone doctor",
    "they discharged me and I have no place to go",
    "my son is using what do I do, we live in Salt Lake City",
    "get me a real person",
    "actually I'm in Frostburg",
    "narcan near 21201",
    "I have medicaid and need a sober house in baltimore county",
    "hi",
    "detox near baltimre",
    "im in hagerstwn md",
    "I have been struggling for a long time and I do not know where to go. " * 28,
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    start = time.process_time()
    understand("warm up in Towson")
    print(f"first call (load gazetteer + word file): {1000 * (time.process_time() - start):.0f} ms")
    per_kind: dict[str, list[float]] = {}
    times: list[float] = []
    for _ in range(args.rounds):
        for message in MESSAGES:
            start = time.process_time()
            understand(message)
            elapsed = 1000 * (time.process_time() - start)
            times.append(elapsed)
            per_kind.setdefault(message[:40], []).append(elapsed)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{len(times)} calls: p50 {statistics.median(times):.2f} ms, "
        f"p95 {p95:.2f} ms, max {times[-1]:.2f} ms"
    )
    for kind, values in per_kind.items():
        print(f"  {statistics.median(values):6.2f} ms  {kind!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
