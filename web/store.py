"""Conversations and their numbered messages in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from core.redaction import for_storage
from resources_db.db import get_engine
from web.db import session_scope
from web.models import Conversation, Message, utcnow

#: A person is waiting for, or talking with, a peer: never purged by age.
HANDOFF_STATES = ("waiting", "with_peer")
MESSAGE_COLUMNS = (
    Message.conversation_id, Message.seq, Message.sender, Message.client_id, Message.text,
    Message.payload, Message.created_at,
)


def message_frame(message: Message) -> dict[str, Any]:
    """The WebSocket frame for one stored message (see docs/web.md)."""
    payload = message.payload or {}
    return {
        "type": "message",
        "conversation_id": message.conversation_id,
        "seq": message.seq,
        "sender": message.sender,
        "client_id": message.client_id,
        "text": message.text,
        "buttons": payload.get("buttons") or [],
        "custom": payload.get("custom"),
        "author": payload.get("author"),
        "created_at": _iso(message.created_at),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


class ConversationStore:
    """Database access for conversations; every method is one short transaction."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url

    def get(self, conversation_id: str) -> Conversation | None:
        with session_scope(self.url) as session:
            return session.get(Conversation, conversation_id)

    def append(
        self,
        conversation_id: str,
        sender: str,
        text: str | None,
        *,
        buttons: list[dict[str, str]] | None = None,
        custom: dict[str, Any] | None = None,
        client_id: str | None = None,
        author: str | None = None,
    ) -> dict[str, Any]:
        """Store a message with the next seq of its conversation and return its frame.

        Callers serialise appends per conversation (the relay holds a lock), so max+1 is safe;
        the unique constraint turns any race into an error instead of a silent duplicate.
        A person's text is stored (and echoed) redacted: phones, emails, street addresses and
        names become placeholders, ZIP codes ZIP3 (core/redaction.py, docs/privacy.md).
        """
        if sender == "person" and text:
            text = for_storage(text)
        payload: dict[str, Any] = {}
        if buttons:
            payload["buttons"] = buttons
        if custom is not None:
            payload["custom"] = custom
        if author:
            payload["author"] = author
        now = utcnow()
        # SQLAlchemy Core on the hot path: one short transaction without the ORM's unit of work.
        with get_engine(self.url).begin() as conn:
            exists = conn.execute(
                select(Conversation.id).where(Conversation.id == conversation_id)
            ).first()
            if exists is None:
                conn.execute(
                    insert(Conversation).values(
                        id=conversation_id, state="bot", wait_notice_sent=False,
                        created_at=now, updated_at=now,
                    )
                )
            else:
                conn.execute(
                    update(Conversation)
                    .where(Conversation.id == conversation_id)
                    .values(updated_at=now)
                )
            last = conn.execute(
                select(func.max(Message.seq)).where(Message.conversation_id == conversation_id)
            ).scalar()
            message = Message(
                conversation_id=conversation_id,
                seq=(last or 0) + 1,
                sender=sender,
                client_id=client_id,
                text=text,
                payload=payload or None,
                created_at=now,
            )
            conn.execute(
                insert(Message).values(
                    conversation_id=message.conversation_id, seq=message.seq,
                    sender=message.sender, client_id=message.client_id, text=message.text,
                    payload=message.payload, created_at=message.created_at,
                )
            )
        return message_frame(message)

    def by_client_id(self, conversation_id: str, client_id: str) -> dict[str, Any] | None:
        with get_engine(self.url).connect() as conn:
            row = conn.execute(
                select(*MESSAGE_COLUMNS).where(
                    Message.conversation_id == conversation_id, Message.client_id == client_id
                )
            ).first()
        return message_frame(Message(**row._mapping)) if row else None

    def since(self, conversation_id: str, after_seq: int = 0) -> list[dict[str, Any]]:
        with session_scope(self.url) as session:
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.seq > after_seq)
                .order_by(Message.seq)
            )
            return [message_frame(m) for m in rows]

    def in_handoff(self) -> set[str]:
        """Ids of conversations waiting for a peer or with one: retention must keep them."""
        with get_engine(self.url).connect() as conn:
            return set(conn.execute(
                select(Conversation.id).where(Conversation.state.in_(HANDOFF_STATES))
            ).scalars())

    def purge_before(self, cutoff: datetime) -> int:
        """Delete conversations untouched since `cutoff`, except waiting or with a peer.

        Returns how many were deleted.
        """
        with session_scope(self.url) as session:
            stale = select(Conversation.id).where(
                Conversation.updated_at < cutoff, Conversation.state.not_in(HANDOFF_STATES)
            )
            ids = list(session.scalars(stale))
            for start in range(0, len(ids), 500):
                batch = ids[start:start + 500]
                session.execute(delete(Message).where(Message.conversation_id.in_(batch)))
                session.execute(delete(Conversation).where(Conversation.id.in_(batch)))
        return len(ids)

    def delete(self, conversation_id: str) -> None:
        with session_scope(self.url) as session:
            session.execute(delete(Message).where(Message.conversation_id == conversation_id))
            session.execute(delete(Conversation).where(Conversation.id == conversation_id))
