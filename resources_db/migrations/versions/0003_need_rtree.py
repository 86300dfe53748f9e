"""SQLite: a need-partitioned R*Tree, `search_rtree_need`, filled from `search_entry`.

One row per (entry, need) with the need as a third dimension, so a search for one need
walks only the tree nodes of entries that have it (see resources_db/search_index.py,
NEED_SPATIAL_TABLE). PostgreSQL is unchanged.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"

# frozen copies of resources_db.search_index constants at this revision
PAD = 1e-5  # RTREE_PAD
SPACING = 1000.0  # NEED_SPACING
NEED_COUNT = 13  # len(vocabulary.NEEDS)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_rtree_need USING rtree("
        "id, min_lat, max_lat, min_lon, max_lon, min_need, max_need, +lat REAL, +lon REAL)"
    )
    for index in range(NEED_COUNT):
        # ids: entry | need index << 28 | payment_mask << 32 | population_mask << 42
        op.execute(
            "INSERT INTO search_rtree_need (id, min_lat, max_lat, min_lon, max_lon,"
            " min_need, max_need, lat, lon)"
            f" SELECT id | ({index} << 28) | (payment_mask << 32) | (population_mask << 42),"
            f" lat - {PAD}, lat + {PAD}, lon - {PAD}, lon + {PAD},"
            f" {index * SPACING - 0.5}, {index * SPACING + 0.5}, lat, lon"
            " FROM search_entry WHERE lat IS NOT NULL AND lon IS NOT NULL"
            f" AND (need_mask >> {index}) & 1 ORDER BY id"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE IF EXISTS search_rtree_need")
