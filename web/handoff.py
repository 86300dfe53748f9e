"""The handoff state machine: bot → waiting → with_peer → closed (and back to bot).

State lives in the database so a restart loses no one's place in the queue. Every transition is
a single conditional UPDATE, so two peers claiming the same person cannot both win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from web.db import session_scope
from web.models import Conversation, PeerPresence, User, utcnow


class HandoffError(Exception):
    """Bad input to the handoff state machine, such as an unknown presence status."""


@dataclass(frozen=True)
class QueueEntry:
    conversation_id: str
    position: int
    waiting_since: datetime
    summary: dict[str, Any]
    #: overdose | suicide | danger when the person wrote about a crisis: they go first
    crisis_kind: str | None = None
    #: the language the person writes in, when the web app read it ("es", "en")
    language: str | None = None

    @property
    def urgent(self) -> bool:
        return self.crisis_kind is not None

    def frame(self, now: datetime | None = None) -> dict[str, Any]:
        waited = (now or utcnow()) - self.waiting_since
        return {
            "conversation_id": self.conversation_id,
            "position": self.position,
            "waiting_since": self.waiting_since.isoformat().replace("+00:00", "Z"),
            # the console counts on from this, so a wrong clock on the peer's computer
            # cannot make a long wait look short
            "waited_seconds": max(0, int(waited.total_seconds())),
            "summary": self.summary,
            "urgent": self.urgent,
            "crisis_kind": self.crisis_kind,
            "language": self.language,
        }


def _conversation(session: Session, conversation_id: str) -> Conversation:
    """The conversation's row, added (with the assistant) when it has none yet."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        conversation = Conversation(id=conversation_id, state="bot")
        session.add(conversation)
    return conversation


class Handoff:
    """Transitions and queries over web_conversations and peer_presence."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url

    def _move(self, conversation_id: str, sources: set[str], **values: Any) -> bool:
        """Conditional UPDATE: true only if the row was in one of `sources`."""
        with session_scope(self.url) as session:
            result = session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id, Conversation.state.in_(sources))
                .values(updated_at=utcnow(), **values)
                .execution_options(synchronize_session=False)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def queue(self, conversation_id: str, summary: dict[str, Any] | None) -> bool:
        """Put a person in line (keeps their original place if they were already waiting)."""
        with session_scope(self.url) as session:
            conversation = _conversation(session, conversation_id)
            if conversation.state == "waiting":
                if summary:
                    conversation.summary = summary
                return True
            if conversation.state == "with_peer":
                return False
            conversation.state = "waiting"
            conversation.waiting_since = utcnow()
            conversation.wait_notice_sent = False
            conversation.peer_user_id = None
            conversation.summary = summary or conversation.summary or {}
            return True

    def remember_summary(self, conversation_id: str, summary: dict[str, Any]) -> None:
        """Keep the needs summary for a later wait, without changing the state."""
        with session_scope(self.url) as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is not None:
                conversation.summary = summary

    def claim(self, conversation_id: str, user_id: int) -> bool:
        """Only one peer wins: the UPDATE matches only while the state is still 'waiting'."""
        return self._move(
            conversation_id, {"waiting"}, state="with_peer", peer_user_id=user_id
        )

    def to_bot(self, conversation_id: str, user_id: int | None = None) -> bool:
        """Back to the assistant: a peer returns it, the person stops waiting, or writes again."""
        if user_id is None:
            return self._move(
                conversation_id, {"waiting", "closed"}, state="bot", waiting_since=None
            )
        with session_scope(self.url) as session:
            result = session.execute(
                update(Conversation)
                .where(
                    Conversation.id == conversation_id,
                    Conversation.state == "with_peer",
                    Conversation.peer_user_id == user_id,
                )
                .values(state="bot", waiting_since=None, crisis_kind=None, crisis_at=None,
                        updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def close(self, conversation_id: str, user_id: int | None = None) -> bool:
        """End the peer part. A peer may close only their own conversation."""
        with session_scope(self.url) as session:
            stmt = update(Conversation).where(
                Conversation.id == conversation_id,
                Conversation.state.in_({"waiting", "with_peer"}),
            )
            values: dict[str, Any] = {"state": "closed", "waiting_since": None,
                                      "updated_at": utcnow()}
            if user_id is not None:
                # the peer who closes it has seen the crisis through
                stmt = stmt.where(Conversation.peer_user_id == user_id)
                values.update(crisis_kind=None, crisis_at=None)
            result = session.execute(
                stmt.values(**values)
                .execution_options(synchronize_session=False)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def waiting(self) -> list[QueueEntry]:
        """The queue: people in crisis first, then everyone else; longest-waiting first
        within each group. Position 1 is next.

        All crisis kinds are one group: which emergency is the more pressing is for the peer
        to judge from the words, and each urgent entry shows its kind.
        """
        urgent_last = case((Conversation.crisis_kind.is_(None), 1), else_=0)
        with session_scope(self.url) as session:
            rows = session.execute(
                select(Conversation.id, Conversation.waiting_since, Conversation.summary,
                       Conversation.crisis_kind, Conversation.language)
                .where(Conversation.state == "waiting")
                .order_by(urgent_last, Conversation.waiting_since, Conversation.id)
            ).all()
        return [
            QueueEntry(row.id, index, row.waiting_since or utcnow(), row.summary or {},
                       row.crisis_kind, row.language)
            for index, row in enumerate(rows, start=1)
        ]

    def mark_crisis(self, conversation_id: str, kind: str, language: str | None = None) -> None:
        """The person wrote about a crisis: urgent in the queue (now or when they ask), and
        later crisis replies in the language they wrote it in."""
        with session_scope(self.url) as session:
            conversation = _conversation(session, conversation_id)
            conversation.crisis_kind = kind
            conversation.crisis_at = utcnow()
            if language:
                conversation.language = language

    def set_language(self, conversation_id: str, language: str) -> None:
        """The language the person's latest telling message was written in."""
        with session_scope(self.url) as session:
            _conversation(session, conversation_id).language = language

    def language(self, conversation_id: str) -> str | None:
        """The language the person wrote in, as last read ("en", "es"), or None."""
        with session_scope(self.url) as session:
            conversation = session.get(Conversation, conversation_id)
            return conversation.language if conversation else None

    def crisis_kind(self, conversation_id: str) -> str | None:
        with session_scope(self.url) as session:
            conversation = session.get(Conversation, conversation_id)
            return conversation.crisis_kind if conversation else None

    def position(self, conversation_id: str) -> int | None:
        for entry in self.waiting():
            if entry.conversation_id == conversation_id:
                return entry.position
        return None

    def overdue(self, timeout_seconds: int) -> list[str]:
        """Waiting conversations nobody claimed in time; each is reported once per wait.

        One UPDATE … RETURNING marks and reads them: every web instance watches the queue,
        and a select-then-update would let two instances report the same wait.
        """
        cutoff = utcnow() - timedelta(seconds=timeout_seconds)
        with session_scope(self.url) as session:
            return list(
                session.scalars(
                    update(Conversation)
                    .where(
                        Conversation.state == "waiting",
                        Conversation.waiting_since <= cutoff,
                        Conversation.wait_notice_sent.is_(False),
                    )
                    .values(wait_notice_sent=True)
                    .returning(Conversation.id)
                    .execution_options(synchronize_session=False)
                )
            )

    def assigned(self, user_id: int) -> list[str]:
        with session_scope(self.url) as session:
            return list(
                session.scalars(
                    select(Conversation.id)
                    .where(Conversation.state == "with_peer", Conversation.peer_user_id == user_id)
                    .order_by(Conversation.updated_at)
                )
            )

    def display_name(self, user_id: int) -> str | None:
        with session_scope(self.url) as session:
            user = session.get(User, user_id)
            return user.display_name if user else None

    # presence ---------------------------------------------------------------------------
    def set_presence(self, user: User, status: str) -> None:
        if status not in ("online", "away"):
            raise HandoffError(f"unknown presence status {status!r}")
        with session_scope(self.url) as session:
            row = session.get(PeerPresence, user.id)
            if row is None:
                row = PeerPresence(user_id=user.id, display_name=user.display_name, status=status)
                session.add(row)
            row.status = status
            row.display_name = user.display_name
            row.last_seen_at = utcnow()

    def heartbeat(self, user_id: int) -> None:
        with session_scope(self.url) as session:
            session.execute(
                update(PeerPresence)
                .where(PeerPresence.user_id == user_id)
                .values(last_seen_at=utcnow())
                .execution_options(synchronize_session=False)
            )

    def available_languages(self, window_seconds: int = 120) -> frozenset[str]:
        """The languages besides English that some available peer speaks: online and seen
        within the window, the same rule as online_count."""
        cutoff = utcnow() - timedelta(seconds=window_seconds)
        with session_scope(self.url) as session:
            spoken = session.scalars(
                select(User.languages)
                .join(PeerPresence, PeerPresence.user_id == User.id)
                .where(PeerPresence.status == "online", PeerPresence.last_seen_at >= cutoff,
                       User.disabled.is_(False), User.languages != "")
            )
            return frozenset(code for codes in spoken for code in codes.split())

    def online_count(self, window_seconds: int = 120) -> int:
        """Peers available for a handoff: online and seen within the window (the one rule;
        the relay passes its configured `presence_window_seconds`)."""
        cutoff = utcnow() - timedelta(seconds=window_seconds)
        with session_scope(self.url) as session:
            count = session.scalar(
                select(func.count())
                .select_from(PeerPresence)
                .where(PeerPresence.status == "online", PeerPresence.last_seen_at >= cutoff)
            )
        return int(count or 0)
