"""The same 271 searches (tests/production/test_search_parity.py) timed on SQLite and
PostgreSQL with the bundled real data: what PostgreSQL costs against the embedded default.

    .venv/bin/python bench/bench_backends.py \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Each query includes resolving its place and any widening; one warm-up pass, then one timed.
The PostgreSQL database is created, seeded and dropped by the run.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from resources_db.db import dispose_engine, session_scope  # noqa: E402
from resources_db.search import search  # noqa: E402
from resources_db.seed import seed_database  # noqa: E402
from tests.production.test_search_parity import NOW, _queries  # noqa: E402


def timings(url: str) -> list[float]:
    queries = list(_queries())
    times = []
    with session_scope(url) as session:
        for query in queries:
            search(session, query, now=NOW)
        for query in queries:
            started = time.perf_counter()
            search(session, query, now=NOW)
            times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def report(name: str, times: list[float]) -> None:
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    print(f"{name:10} {len(times)} searches  p50 {p50:.2f} ms  p95 {p95:.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", required=True, help="admin URL of a PostgreSQL server")
    parser.add_argument("--sqlite", default=f"sqlite:///{ROOT / 'var' / 'directory.sqlite3'}",
                        help="a seeded SQLite directory (default: the one `make run` builds)")
    args = parser.parse_args()
    admin_url = make_url(args.postgres)
    name = f"rn_bench_backends_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        seed_database(args.sqlite)
        seed_database(url)
        report("sqlite", timings(args.sqlite))
        report("postgres", timings(url))
    finally:
        dispose_engine(url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
