"""Tables owned by the web app: accounts, sessions, peer presence, conversations, messages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


ROLES = ("peer", "admin")
#: Languages besides English a peer may say they chat in (every peer is taken to speak English).
PEER_LANGUAGES = ("es",)
STATES = ("bot", "waiting", "with_peer", "closed")
SENDERS = ("person", "bot", "peer", "system")


class User(Base):
    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Languages besides English the peer chats in, space-separated codes ("es"): people who
    #: write in one of them are offered to this peer first (web/language_offer.py).
    languages: Mapped[str] = mapped_column(String(32), default="", server_default="")


class WebSession(Base):
    """A signed-in peer or admin. The cookie holds only the random token."""

    __tablename__ = "web_sessions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PeerPresence(Base):
    """Read by the web app alone to decide a requested handoff (web/relay_base.py)."""

    __tablename__ = "peer_presence"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), primary_key=True
    )
    display_name: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Conversation(Base):
    """One anonymous chat; the id is the random one the widget keeps in sessionStorage."""

    __tablename__ = "web_conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="bot")
    peer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("web_users.id", ondelete="SET NULL"), nullable=True
    )
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    wait_notice_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The last crisis kind read in the person's messages (core/crisis/): while it is set the
    #: conversation goes ahead of everyone else in the peer queue. A peer who returns or
    #: closes the chat clears it.
    crisis_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    crisis_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: The language the person writes in, as far as the web app read it ("en", "es"); the
    #: crisis reply and the peer console use it. Nothing else about the person is kept.
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Message(Base):
    """One message in a conversation; seq is the order the widget resumes from."""

    __tablename__ = "web_messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_web_messages_seq"),
        UniqueConstraint("conversation_id", "client_id", name="uq_web_messages_client_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("web_conversations.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(16))
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """One change to the directory or to accounts: who, when, which record, before → after."""

    __tablename__ = "web_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: "user:<username>" or "token:<token name>"
    actor: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(32))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class IntegrationToken(Base):
    """A provider system's key: only its SHA-256 is kept; scoped to services; revocable."""

    __tablename__ = "web_integration_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: space-separated scopes, e.g. "capacity:write"
    scopes: Mapped[str] = mapped_column(String(200))
    #: the services this token may change (empty list: none)
    service_ids: Mapped[list[str]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PendingImport(Base):
    """An admin's uploaded file between its preview and the commit or cancel.

    In the database rather than in one process, so the preview may run on one web instance
    and the commit on another (no sticky sessions). Only the session that uploaded it may
    use it; it goes when that session ends (cascade) or after MAX_AGE_SECONDS
    (web/admin/imports.py).
    """

    __tablename__ = "web_pending_imports"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_token: Mapped[str] = mapped_column(
        ForeignKey("web_sessions.token", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
