"""Web app tables: users, sessions, peer presence, conversations, messages."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from web.models import UTCDateTime

revision = "web_0001"
down_revision = None
branch_labels = ("web",)


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("role in ('peer', 'admin')", name="ck_web_users_role"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("web_users.id", ondelete="CASCADE"),
            nullable=False, index=True,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "peer_presence",
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("web_users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_seen_at", UTCDateTime, nullable=False),
        sa.CheckConstraint("status in ('online', 'away')", name="ck_peer_presence_status"),
    )
    op.create_table(
        "web_conversations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column(
            "peer_user_id", sa.Integer, sa.ForeignKey("web_users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("summary", sa.JSON, nullable=True),
        sa.Column("waiting_since", UTCDateTime, nullable=True),
        sa.Column("wait_notice_sent", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.CheckConstraint(
            "state in ('bot', 'waiting', 'with_peer', 'closed')", name="ck_web_conversations_state"
        ),
    )
    op.create_index("ix_web_conversations_state", "web_conversations", ["state", "waiting_since"])
    op.create_table(
        "web_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "conversation_id", sa.String(64),
            sa.ForeignKey("web_conversations.id", ondelete="CASCADE"), nullable=False, index=True,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("sender", sa.String(16), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("payload", sa.JSON, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("conversation_id", "seq", name="uq_web_messages_seq"),
        sa.UniqueConstraint("conversation_id", "client_id", name="uq_web_messages_client_id"),
    )


def downgrade() -> None:
    op.drop_table("web_messages")
    op.drop_index("ix_web_conversations_state", table_name="web_conversations")
    op.drop_table("web_conversations")
    op.drop_table("peer_presence")
    op.drop_table("web_sessions")
    op.drop_table("web_users")
