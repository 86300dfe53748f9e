"""Rebuild the SQLite R*Tree so its ids carry the filter masks (see search_rtree.rtree_id).

Directories indexed before this revision used plain entry ids in `search_rtree`; search now
filters on the bits of the id, so the tree is refilled from `search_entry`.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"

PAD = 1e-5  # resources_db.search_rtree.RTREE_PAD


def _refill(tree_id: str) -> None:
    """Empty the R*Tree and fill it again from `search_entry`, ids made by `tree_id` (SQL)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DELETE FROM search_rtree")
    op.execute(
        "INSERT INTO search_rtree (id, min_lat, max_lat, min_lon, max_lon, lat, lon,"
        " need_mask, payment_mask, population_mask)"
        f" SELECT {tree_id}, lat - {PAD}, lat + {PAD}, lon - {PAD}, lon + {PAD}, lat, lon,"
        " need_mask, payment_mask, population_mask"
        " FROM search_entry WHERE lat IS NOT NULL AND lon IS NOT NULL"
    )


def upgrade() -> None:
    _refill("id | (need_mask << 28) | (payment_mask << 41) | (population_mask << 51)")


def downgrade() -> None:
    _refill("id")
