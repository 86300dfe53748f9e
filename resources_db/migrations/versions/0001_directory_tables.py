"""Directory tables (HSDS 3 names), the search read model and its spatial index."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

# The indexes of each table, tables in creation order (downgrade drops them in reverse): a
# column name stands for a one-column index named the Alembic way, `ix_<table>_<column>`.
INDEXES: dict[str, tuple[str | tuple[str, list[str]], ...]] = {
    "organization": ("name_key",),
    "search_entry": (
        ("ix_search_entry_lat_lon", ["lat", "lon"]),
        "service_id",
        ("ix_search_entry_state", ["state"]),
    ),
    "taxonomy_term": (),
    "location": ("match_key", "organization_id"),
    "service": ("organization_id",),
    "address": ("location_id",),
    "attribute": ("link_id", ("ix_attribute_term", ["taxonomy_term_id"])),
    "language": ("location_id", "service_id"),
    "phone": ("location_id", "organization_id", "service_id"),
    "record_source": ("location_id", "service_id"),
    "service_at_location": ("location_id", "service_id"),
    "service_capacity": ("service_id",),
    "schedule": ("location_id", "service_at_location_id", "service_id"),
}


def _record_id() -> sa.Column[Any]:
    """The id of an HSDS record (a UUID string)."""
    return sa.Column("id", sa.String(length=36), nullable=False)


def _provenance_columns() -> list[sa.Column[Any]]:
    """The columns every HSDS record table ends with: where the record came from, when it was
    last verified, and its edit version."""
    return [
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _index_name(batch_op: Any, table: str, index: str | tuple[str, list[str]]) -> Any:
    return batch_op.f(f"ix_{table}_{index}") if isinstance(index, str) else index[0]


def _create_indexes(table: str) -> None:
    """Create the table's INDEXES, in order."""
    if not INDEXES[table]:
        return
    with op.batch_alter_table(table, schema=None) as batch_op:
        for index in INDEXES[table]:
            columns = [index] if isinstance(index, str) else index[1]
            batch_op.create_index(_index_name(batch_op, table, index), columns, unique=False)


def _drop_indexes(table: str) -> None:
    """Drop the table's INDEXES, last created first."""
    if not INDEXES[table]:
        return
    with op.batch_alter_table(table, schema=None) as batch_op:
        for index in reversed(INDEXES[table]):
            batch_op.drop_index(_index_name(batch_op, table, index))


def upgrade() -> None:
    op.create_table(
        "organization",
        _record_id(),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("alternate_name", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        *_provenance_columns(),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_indexes("organization")

    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("service_at_location_id", sa.String(length=36), nullable=True),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("national", sa.Boolean(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("need_mask", sa.Integer(), nullable=False),
        sa.Column("payment_mask", sa.Integer(), nullable=False),
        sa.Column("population_mask", sa.Integer(), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("hours_spec", sa.Text(), nullable=True),
        sa.Column("card", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_at_location_id"),
    )
    _create_indexes("search_entry")

    op.create_table(
        "taxonomy_term",
        _record_id(),
        sa.Column("taxonomy", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["parent_id"], ["taxonomy_term.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("taxonomy", "code"),
    )
    op.create_table(
        "location",
        _record_id(),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("location_type", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("match_key", sa.String(length=600), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_indexes("location")

    op.create_table(
        "service",
        _record_id(),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("alternate_name", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("hours_text", sa.String(length=300), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_indexes("service")

    op.create_table(
        "address",
        _record_id(),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("attention", sa.String(length=300), nullable=True),
        sa.Column("address_1", sa.String(length=300), nullable=False),
        sa.Column("address_2", sa.String(length=300), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("state_province", sa.String(length=2), nullable=False),
        sa.Column("postal_code", sa.String(length=10), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address_type", sa.String(length=16), nullable=False),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_indexes("address")

    op.create_table(
        "attribute",
        _record_id(),
        sa.Column("link_id", sa.String(length=36), nullable=False),
        sa.Column("link_entity", sa.String(length=32), nullable=False),
        sa.Column("link_type", sa.String(length=32), nullable=False),
        sa.Column("taxonomy_term_id", sa.String(length=36), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["link_id"], ["service.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["taxonomy_term_id"], ["taxonomy_term.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("link_id", "taxonomy_term_id", "source", "source_record_id"),
    )
    _create_indexes("attribute")

    op.create_table(
        "language",
        _record_id(),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_indexes("language")

    op.create_table(
        "phone",
        _record_id(),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("extension", sa.String(length=16), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_indexes("phone")

    op.create_table(
        "record_source",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=False),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_record_id"),
    )
    _create_indexes("record_source")

    op.create_table(
        "service_at_location",
        _record_id(),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_id", "location_id"),
    )
    _create_indexes("service_at_location")

    op.create_table(
        "service_capacity",
        _record_id(),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("maximum", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_indexes("service_capacity")

    op.create_table(
        "schedule",
        _record_id(),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("service_at_location_id", sa.String(length=36), nullable=True),
        sa.Column("freq", sa.String(length=8), nullable=False),
        sa.Column("byday", sa.String(length=2), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("closes_at", sa.Time(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        *_provenance_columns(),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"], ["service_at_location.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create_indexes("schedule")

    if op.get_bind().dialect.name == "sqlite":
        # R*Tree over search_entry: box per entry, exact point and filter masks as
        # auxiliary columns so a radius query needs no join (see resources_db/search.py).
        op.execute(
            "CREATE VIRTUAL TABLE search_rtree USING rtree("
            "id, min_lat, max_lat, min_lon, max_lon,"
            " +lat REAL, +lon REAL, +need_mask INT, +payment_mask INT, +population_mask INT)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_rtree")
    for table in reversed(INDEXES):
        _drop_indexes(table)
        op.drop_table(table)
