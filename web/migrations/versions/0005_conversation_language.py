"""The language a person writes in, on each conversation (crisis replies, peer console).

Revision ID: web_0005
Revises: web_0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "web_0005"
down_revision = "web_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_conversations") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_conversations") as batch:
        batch.drop_column("language")
