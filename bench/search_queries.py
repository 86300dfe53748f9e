"""The search benchmark's queries: "nearest 10 with one need and an insurance filter" around
random towns. Built with the `SearchQuery` class and vocabularies the caller passes, so that
bench/ab_search.py can build the same queries with an older checkout's own classes (this
module imports nothing of the directory)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any


def random_queries(
    towns: Sequence[tuple[float, float]],
    count: int,
    seed: int,
    query_type: Any,
    needs: Sequence[str],
    insurance: Sequence[str],
    radius_miles: float,
) -> list[Any]:
    """`count` queries from a generator seeded with `seed`, each near a random town."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        lat0, lon0 = rng.choice(towns)
        out.append(
            query_type(
                needs=[rng.choice(needs)],
                lat=lat0 + rng.gauss(0, 0.1),
                lon=lon0 + rng.gauss(0, 0.1),
                radius_miles=radius_miles,
                insurance=rng.choice(insurance),
                limit=10,
            )
        )
    return out
