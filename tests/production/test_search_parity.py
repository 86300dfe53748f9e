"""The directory gives the same answers on SQLite and PostgreSQL: the bundled real data is
seeded into both through the same migrations, and a battery of searches (every need, places
from cities to remote towns, coverage, populations, languages, open now, paging, widening)
must return identical bodies."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from resources_db.db import dispose_engine, get_engine, session_scope
from resources_db.search import SearchQuery, search
from resources_db.seed import seed_database
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS, POPULATIONS

pytestmark = pytest.mark.postgres

#: a Tuesday evening in Baltimore, so "open now" has something to decide
NOW = dt.datetime(2026, 11, 17, 23, 30, tzinfo=dt.UTC)
PLACES = [
    "Baltimore, MD 21201", "Towson, MD", "10001", "Los Angeles, CA", "Chicago, IL",
    "Anchorage, AK", "Honolulu, HI", "Billings, MT", "Presque Isle, ME", "Gallup, NM",
    "San Juan, PR", "Wyoming",
]


def _queries() -> Iterator[SearchQuery]:
    for place, need in itertools.product(PLACES, NEEDS):
        yield SearchQuery(needs=[need], near=place)
    for place, insurance in itertools.product(PLACES[:6], INSURANCE_QUERY_VALUES):
        yield SearchQuery(needs=["detox", "moud"], near=place, insurance=insurance)
    for place, population in itertools.product(PLACES[:4], POPULATIONS):
        yield SearchQuery(needs=["housing"], near=place, population=population)
    for place in PLACES:
        yield SearchQuery(near=place, language="es", limit=25)
        yield SearchQuery(needs=["outpatient"], near=place, open_now=True)
        yield SearchQuery(needs=["detox"], near=place, radius_miles=5)
        yield SearchQuery(needs=["moud"], near=place, limit=5, offset=5)
    yield SearchQuery(
        needs=["harm_reduction"], lat=39.2904, lon=-76.6122, radius_miles=100, limit=50
    )


def _answers(url: str) -> list[str]:
    answers = []
    with session_scope(url) as session:
        for query in _queries():
            body: dict[str, Any] = search(session, query, now=NOW)
            answers.append(json.dumps(body, sort_keys=True, default=str))
    return answers


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('parity')) / 'directory.sqlite3'}"
    seed_database(url)
    yield url
    dispose_engine(url)


@pytest.fixture
def postgres_url(postgres_directory_database: str) -> str:
    """The session's PostgreSQL database, emptied: other tests leave fixture rows in it."""
    with get_engine(postgres_directory_database).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    return postgres_directory_database


def test_postgresql_and_sqlite_return_the_same_results(sqlite_url: str, postgres_url: str) -> None:
    seed_database(postgres_url)
    expected, actual = _answers(sqlite_url), _answers(postgres_url)
    queries = list(_queries())
    assert len(expected) == len(queries) > 200
    found = sum(json.loads(answer)["total"] > 0 for answer in expected)
    assert found > 150, "searches that find nothing prove little"
    differing = [
        f"{queries[i]}:\n  sqlite:   {expected[i][:300]}\n  postgres: {actual[i][:300]}"
        for i in range(len(queries))
        if expected[i] != actual[i]
    ]
    assert not differing, f"{len(differing)} searches differ, first: {differing[0]}"
