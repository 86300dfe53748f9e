"""Pending imports in the database: an upload previewed on one web instance can be committed
or cancelled on another (issue 20, no sticky sessions).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from web.models import UTCDateTime

revision = "web_0004"
down_revision = "web_0003"


def upgrade() -> None:
    op.create_table(
        "web_pending_imports",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("session_token", sa.String(64),
                  sa.ForeignKey("web_sessions.token", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("web_pending_imports")
