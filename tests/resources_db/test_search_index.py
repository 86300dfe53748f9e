"""The SQLite need tree (`search_rtree_need`) stays in step with the directory: after
refreshes, rebuilds and migrations a search for one need finds exactly the services that
offer it."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from resources_db import search_index, search_rtree
from resources_db.db import alembic_config, is_sqlite, session_scope
from resources_db.models import Attribute, SearchEntry, TaxonomyTerm
from resources_db.search import SearchQuery, search
from tests.fixtures.directory import BALTIMORE, FIXTURE_NOW, fixture_service_id


@pytest.fixture
def sqlite_directory_url(directory_url: str) -> str:
    if not is_sqlite(directory_url):
        pytest.skip("the need tree exists only on SQLite")
    return directory_url


def need_tree(session: Session) -> set[int]:
    rows = session.execute(text(f"SELECT id FROM {search_rtree.NEED_SPATIAL_TABLE}"))
    return {row[0] for row in rows}


def expected_need_tree(session: Session) -> set[int]:
    """One row per need of every entry that has a point."""
    entries = session.execute(
        select(
            SearchEntry.id,
            SearchEntry.need_mask,
            SearchEntry.payment_mask,
            SearchEntry.population_mask,
        ).where(SearchEntry.lat.is_not(None))
    )
    return {row_id for row in entries for _, row_id in search_rtree.need_rtree_ids(*row)}


def names_near_baltimore(session: Session, need: str) -> list[str]:
    query = SearchQuery(needs=[need], lat=BALTIMORE[0], lon=BALTIMORE[1], radius_miles=50)
    result = search(session, query, now=FIXTURE_NOW)
    assert result["relaxed"] is False
    return [card["name"] for card in result["resources"]]


def test_need_tree_holds_one_row_per_need_of_every_entry(sqlite_directory_url: str) -> None:
    with session_scope(sqlite_directory_url) as session:
        rows = need_tree(session)
        assert rows and rows == expected_need_tree(session)
        assert search_index.rebuild(session) > 0
        assert need_tree(session) == expected_need_tree(session)


def test_a_removed_need_is_no_longer_found_after_refresh(sqlite_directory_url: str) -> None:
    detox = fixture_service_id("detox")
    with session_scope(sqlite_directory_url) as session:
        assert "Example Detox Center" in names_near_baltimore(session, "moud")
        moud_terms = select(TaxonomyTerm.id).where(TaxonomyTerm.code == "moud")
        session.execute(
            delete(Attribute).where(
                Attribute.link_id == detox, Attribute.taxonomy_term_id.in_(moud_terms)
            )
        )
        search_index.refresh_services(session, [detox])
        assert "Example Detox Center" not in names_near_baltimore(session, "moud")
        assert "Example Detox Center" in names_near_baltimore(session, "detox")
        assert need_tree(session) == expected_need_tree(session)


def test_migration_0003_fills_the_need_tree_from_existing_entries(
    sqlite_directory_url: str,
) -> None:
    with session_scope(sqlite_directory_url) as session:
        before = {need: names_near_baltimore(session, need) for need in ("detox", "moud")}
        expected = expected_need_tree(session)
    command.downgrade(alembic_config(sqlite_directory_url), "0002")
    command.upgrade(alembic_config(sqlite_directory_url), "head")
    with session_scope(sqlite_directory_url) as session:
        assert need_tree(session) == expected
        assert {need: names_near_baltimore(session, need) for need in before} == before
