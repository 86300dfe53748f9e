"""Urgent-first peer queue: the crisis kind (and when) on each conversation."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from web.models import UTCDateTime

revision = "web_0003"
down_revision = "web_0002"


def upgrade() -> None:
    with op.batch_alter_table("web_conversations") as batch:
        batch.add_column(sa.Column("crisis_kind", sa.String(16), nullable=True))
        batch.add_column(sa.Column("crisis_at", UTCDateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_conversations") as batch:
        batch.drop_column("crisis_at")
        batch.drop_column("crisis_kind")
