"""Search latency on synthetic directories of 10k, 100k and 1M services (SQLite).

    .venv/bin/python bench/bench_search.py                 # 10k, 100k, 1M
    .venv/bin/python bench/bench_search.py --sizes 10000   # one size
    .venv/bin/python bench/bench_search.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

The synthetic data exists only inside this benchmark: it is written straight into the
search read model (`search_entry` and the `search_rtree` index) in a throwaway database,
clustered around 300 random "towns" in the contiguous United States plus a uniform
background. Each query is "nearest 10 with one need and an insurance filter within 25
miles" from a random town. Reported: p50/p95 of `search()` with the point's label lookup
(`reverse_place`) stubbed out, so the number is the directory's own cost, and the same
query done as a full scan (every matching row read and ranked, no spatial index).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_queries import random_queries  # noqa: E402  (bench/ is the script folder)

from resources_db.db import dispose_engine, get_engine, session_scope, upgrade_database
from resources_db.geocode import Place
from resources_db.search import SearchQuery, geodesic_miles, search, spherical_miles
from resources_db.search import relax as search_relax
from resources_db.search_rtree import insert_spatial
from resources_db.vocabulary import (
    INSURANCE_QUERY_VALUES,
    NEEDS,
    PAYMENT_VALUES,
    insurance_mask,
    mask_of,
)

T = TypeVar("T")
TOWNS = 300
RADIUS = 25.0
BATCH = 20_000


def synthetic_entries(size: int, rng: random.Random) -> tuple[list[tuple[float, float]], Any]:
    towns = [(rng.uniform(30.0, 47.0), rng.uniform(-122.0, -72.0)) for _ in range(TOWNS)]

    def rows() -> Any:
        for n in range(1, size + 1):
            if rng.random() < 0.8:
                lat0, lon0 = rng.choice(towns)
                lat = lat0 + rng.gauss(0, 0.25)
                lon = lon0 + rng.gauss(0, 0.3)
            else:
                lat, lon = rng.uniform(25.0, 49.0), rng.uniform(-124.0, -67.0)
            needs = rng.sample(NEEDS, rng.randint(1, 3))
            payments = rng.sample(PAYMENT_VALUES, rng.randint(1, 4))
            card = {
                "id": f"bench-{n}",
                "name": f"Synthetic Service {n}",
                "organization": None,
                "categories": needs,
                "address": f"{n} Synthetic Street",
                "city": "Synthetic",
                "state": "ZZ",
                "zip": "00000",
                "lat": lat,
                "lon": lon,
                "distance_miles": None,
                "phone": None,
                "website": None,
                "insurance": payments,
                "populations": [],
                "languages": [],
                "hours": None,
                "open_now": None,
                "capacity": None,
                "last_verified": "2026-01-01",
                "source": "synthetic-benchmark",
            }
            yield {
                "id": n,
                "service_at_location_id": f"bench-{n}",
                "service_id": f"bench-{n}",
                "national": False,
                "lat": lat,
                "lon": lon,
                "state": "ZZ",
                "need_mask": mask_of(needs, NEEDS),
                "payment_mask": mask_of(payments, PAYMENT_VALUES),
                "population_mask": 0,
                "languages": "",
                "timezone": None,
                "hours_spec": None,
                "card": json.dumps(card),
            }

    return towns, rows()


def build(url: str, size: int, seed: int) -> list[tuple[float, float]]:
    upgrade_database(url)
    rng = random.Random(seed)
    towns, rows = synthetic_entries(size, rng)
    engine = get_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    insert_entry = text(
        "INSERT INTO search_entry (id, service_at_location_id, service_id, national, lat, lon,"
        " state, need_mask, payment_mask, population_mask, languages, timezone, hours_spec, card)"
        " VALUES (:id, :service_at_location_id, :service_id, :national, :lat, :lon, :state,"
        " :need_mask, :payment_mask, :population_mask, :languages, :timezone, :hours_spec, :card)"
    )
    with engine.begin() as connection:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                connection.execute(insert_entry, batch)
                if sqlite:
                    insert_spatial(connection, batch)
                batch.clear()
        if batch:
            connection.execute(insert_entry, batch)
            if sqlite:
                insert_spatial(connection, batch)
    if not sqlite:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE search_entry"))
    return towns


def queries(towns: list[tuple[float, float]], count: int, seed: int) -> list[SearchQuery]:
    return random_queries(towns, count, seed, SearchQuery, NEEDS, INSURANCE_QUERY_VALUES, RADIUS)


def full_scan(session: Any, query: SearchQuery) -> list[str]:
    """The same answer without the spatial index: read every matching row, rank all."""
    assert query.lat is not None and query.lon is not None
    need = mask_of(query.needs, NEEDS)
    pay = insurance_mask(query.insurance) if query.insurance else 0
    rows = session.execute(
        text(
            "SELECT id, lat, lon FROM search_entry WHERE (need_mask & :need) != 0"
            " AND (payment_mask & :pay) != 0"
        ),
        {"need": need, "pay": pay},
    )
    inside = []
    for entry_id, lat, lon in rows:
        if spherical_miles(query.lat, query.lon, lat, lon) <= RADIUS * 1.01:
            miles = geodesic_miles(query.lat, query.lon, lat, lon)
            if miles <= RADIUS:
                inside.append((miles, entry_id))
    inside.sort()
    return [f"bench-{entry_id}" for _, entry_id in inside[: query.limit]]


def timed(fn: Callable[[], T]) -> tuple[float, float, T]:
    """(wall ms, CPU ms of this process, value); CPU time is steadier on a busy machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, value


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p * len(ordered)) - 1)]


def run_size(url: str, size: int, count: int, scan_count: int) -> dict[str, Any]:
    started = time.perf_counter()
    towns = build(url, size, seed=size)
    build_s = time.perf_counter() - started
    qs = queries(towns, count, seed=7)
    times, cpu_times, scan_times, totals = [], [], [], []
    with session_scope(url) as session:
        for q in qs[:5]:  # warm caches
            search(session, q)
        for q in qs:
            ms, cpu, result = timed(partial(search, session, q))
            times.append(ms)
            cpu_times.append(cpu)
            totals.append(result["total"])
        for q in qs[:scan_count]:
            indexed = search(session, q)
            expected = [] if indexed["relaxed"] else [c["id"] for c in indexed["resources"]]
            ms, _, answer = timed(partial(full_scan, session, q))
            scan_times.append(ms)
            assert answer == expected, "index and full scan disagree"
    return {
        "size": size,
        "build_s": round(build_s, 1),
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "cpu_p50_ms": round(statistics.median(cpu_times), 2),
        "cpu_p95_ms": round(percentile(cpu_times, 0.95), 2),
        "scan_queries": len(scan_times),
        "scan_p50_ms": round(statistics.median(scan_times), 1),
        "scan_p95_ms": round(percentile(scan_times, 0.95), 1),
        "median_total": statistics.median(totals),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--scan-queries", type=int, default=20)
    parser.add_argument("--postgres", help="run against this PostgreSQL server instead")
    args = parser.parse_args()
    # the directory's own cost: the point's label comes from the geocoder, measured apart
    search_relax.reverse_place = lambda lat, lon: Place("Synthetic", lat, lon, "point")
    print(
        "size | build s | search p50 ms | p95 ms | CPU p50 ms | CPU p95 ms"
        " | full scan p50 ms | p95 ms | median total"
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            if args.postgres:
                url = _fresh_postgres(args.postgres, size)
            else:
                url = f"sqlite:///{Path(folder) / f'bench_{size}.sqlite3'}"
            try:
                r = run_size(url, size, args.queries, args.scan_queries)
            finally:
                dispose_engine(url)
                if args.postgres:
                    _drop_postgres(args.postgres, url)
        print(
            f"{r['size']:>9,} | {r['build_s']:>7} | {r['p50_ms']:>13} | {r['p95_ms']:>6} |"
            f" {r['cpu_p50_ms']:>10} | {r['cpu_p95_ms']:>10} |"
            f" {r['scan_p50_ms']:>16} | {r['scan_p95_ms']:>6} | {r['median_total']}",
            flush=True,
        )


def _fresh_postgres(base: str, size: int) -> str:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"rn_bench_search_{size}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _drop_postgres(base: str, url: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
