"""The languages a peer chats in besides English, on each account (issue 17: people who write
in Spanish are offered to the peers who speak it first).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "web_0006"
down_revision = "web_0005"


def upgrade() -> None:
    with op.batch_alter_table("web_users") as batch:
        batch.add_column(
            sa.Column("languages", sa.String(32), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("web_users") as batch:
        batch.drop_column("languages")
