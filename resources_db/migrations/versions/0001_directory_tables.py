"""Directory tables (HSDS 3 names), the search read model and its spatial index.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 07:30:51.477822
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organization",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("alternate_name", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_name_key"), ["name_key"], unique=False)

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
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.create_index("ix_search_entry_lat_lon", ["lat", "lon"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_search_entry_service_id"), ["service_id"], unique=False
        )
        batch_op.create_index("ix_search_entry_state", ["state"], unique=False)

    op.create_table(
        "taxonomy_term",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("taxonomy", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["taxonomy_term.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("taxonomy", "code"),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("location_type", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("match_key", sa.String(length=600), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_location_match_key"), ["match_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_location_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "service",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("alternate_name", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("hours_text", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "address",
        sa.Column("id", sa.String(length=36), nullable=False),
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
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_address_location_id"), ["location_id"], unique=False)

    op.create_table(
        "attribute",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("link_id", sa.String(length=36), nullable=False),
        sa.Column("link_entity", sa.String(length=32), nullable=False),
        sa.Column("link_type", sa.String(length=32), nullable=False),
        sa.Column("taxonomy_term_id", sa.String(length=36), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["service.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["taxonomy_term_id"], ["taxonomy_term.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("link_id", "taxonomy_term_id", "source", "source_record_id"),
    )
    with op.batch_alter_table("attribute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attribute_link_id"), ["link_id"], unique=False)
        batch_op.create_index("ix_attribute_term", ["taxonomy_term_id"], unique=False)

    op.create_table(
        "language",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_language_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_language_service_id"), ["service_id"], unique=False)

    op.create_table(
        "phone",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("organization_id", sa.String(length=36), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("extension", sa.String(length=16), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phone_location_id"), ["location_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_phone_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_phone_service_id"), ["service_id"], unique=False)

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
    with op.batch_alter_table("record_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_source_location_id"), ["location_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_record_source_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "service_at_location",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_id", "location_id"),
    )
    with op.batch_alter_table("service_at_location", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_at_location_location_id"), ["location_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_at_location_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "service_capacity",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("maximum", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service_capacity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_capacity_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "schedule",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("service_at_location_id", sa.String(length=36), nullable=True),
        sa.Column("freq", sa.String(length=8), nullable=False),
        sa.Column("byday", sa.String(length=2), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("closes_at", sa.Time(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["service_at_location_id"], ["service_at_location.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_location_id"), ["location_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_schedule_service_at_location_id"),
            ["service_at_location_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_schedule_service_id"), ["service_id"], unique=False)

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
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_service_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_service_at_location_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_location_id"))

    op.drop_table("schedule")
    with op.batch_alter_table("service_capacity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_capacity_service_id"))

    op.drop_table("service_capacity")
    with op.batch_alter_table("service_at_location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_at_location_service_id"))
        batch_op.drop_index(batch_op.f("ix_service_at_location_location_id"))

    op.drop_table("service_at_location")
    with op.batch_alter_table("record_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_source_service_id"))
        batch_op.drop_index(batch_op.f("ix_record_source_location_id"))

    op.drop_table("record_source")
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_service_id"))
        batch_op.drop_index(batch_op.f("ix_phone_organization_id"))
        batch_op.drop_index(batch_op.f("ix_phone_location_id"))

    op.drop_table("phone")
    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_language_service_id"))
        batch_op.drop_index(batch_op.f("ix_language_location_id"))

    op.drop_table("language")
    with op.batch_alter_table("attribute", schema=None) as batch_op:
        batch_op.drop_index("ix_attribute_term")
        batch_op.drop_index(batch_op.f("ix_attribute_link_id"))

    op.drop_table("attribute")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_address_location_id"))

    op.drop_table("address")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_organization_id"))

    op.drop_table("service")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_organization_id"))
        batch_op.drop_index(batch_op.f("ix_location_match_key"))

    op.drop_table("location")
    op.drop_table("taxonomy_term")
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_search_entry_state")
        batch_op.drop_index(batch_op.f("ix_search_entry_service_id"))
        batch_op.drop_index("ix_search_entry_lat_lon")

    op.drop_table("search_entry")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_name_key"))

    op.drop_table("organization")
