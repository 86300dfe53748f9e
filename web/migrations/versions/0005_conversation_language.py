"""The language a person writes in, on each conversation (crisis replies, peer console)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "web_0005"
down_revision = "web_0004"


def upgrade() -> None:
    with op.batch_alter_table("web_conversations") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_conversations") as batch:
        batch.drop_column("language")
