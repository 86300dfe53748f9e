"""HSDS 3.1 fields a person asks about: service cost, eligibility, ages, how to apply;
schedule recurrence (RRULE) parts and validity; the `service_area` table.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"

SERVICE_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("fees_description", sa.Text()),
    ("eligibility_description", sa.Text()),
    ("minimum_age", sa.Float()),
    ("maximum_age", sa.Float()),
    ("application_process", sa.Text()),
)

SCHEDULE_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("valid_from", sa.Date()),
    ("valid_to", sa.Date()),
    ("dtstart", sa.Date()),
    ("until", sa.Date()),
    ("count", sa.Integer()),
    ("interval", sa.Integer()),
    ("wkst", sa.String(length=2)),
    ("byweekno", sa.String(length=120)),
    ("bymonthday", sa.String(length=120)),
    ("byyearday", sa.String(length=120)),
    ("schedule_link", sa.String(length=500)),
    ("attending_type", sa.String(length=120)),
    ("notes", sa.Text()),
)

SERVICE_AREA_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("name", sa.String(length=300)),
    ("description", sa.Text()),
    ("extent", sa.Text()),
    ("extent_type", sa.String(length=40)),
    ("uri", sa.String(length=500)),
)


def _nullable_columns(columns: tuple[tuple[str, Any], ...]) -> list[sa.Column[Any]]:
    return [sa.Column(name, type_, nullable=True) for name, type_ in columns]


def upgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        for column in _nullable_columns(SERVICE_COLUMNS):
            batch_op.add_column(column)
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        for column in _nullable_columns(SCHEDULE_COLUMNS):
            batch_op.add_column(column)
    op.create_table(
        "service_area",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        *_nullable_columns(SERVICE_AREA_COLUMNS),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_record_id", sa.String(length=128), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("service_area", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_area_service_id"), ["service_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("service_area")
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        for name, _ in reversed(SCHEDULE_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("service", schema=None) as batch_op:
        for name, _ in reversed(SERVICE_COLUMNS):
            batch_op.drop_column(name)
