"""Time the full seed: every bundled file imported into a fresh directory, no network.

    .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Target: the whole seed in 60 s or less. Prints wall-clock and CPU seconds (CPU time is the
steadier number on a shared machine) and each source's summary.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from resources_db.db import dispose_engine  # noqa: E402
from resources_db.seed import seed_database  # noqa: E402

TARGET_SECONDS = 60.0


def _postgres_url(base: str) -> str:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "rn_bench_import" WITH (FORCE)'))
        connection.execute(text('CREATE DATABASE "rn_bench_import"'))
    admin.dispose()
    return make_url(base).set(database="rn_bench_import").render_as_string(hide_password=False)


def _drop_postgres(base: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "rn_bench_import" WITH (FORCE)'))
    admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description="Time the full directory seed.")
    parser.add_argument("--postgres", help="seed this PostgreSQL server instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = _postgres_url(args.postgres) if args.postgres else f"sqlite:///{folder}/seed.sqlite3"
        wall, cpu = time.perf_counter(), time.process_time()
        summaries = seed_database(url) or []
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        dispose_engine(url)
        if args.postgres:
            _drop_postgres(args.postgres)
    for summary in summaries:
        print(summary.text(max_errors=3))
    rows = sum(s.imported + len(s.errors) for s in summaries)
    print(
        f"seed: {rows} rows in {wall:.1f} s wall, {cpu:.1f} s CPU (target {TARGET_SECONDS:.0f} s)"
    )
    return 0 if wall <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
