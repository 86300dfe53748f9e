"""Peer and admin accounts: argon2 password hashes and server-side sessions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from web.db import session_scope
from web.models import PEER_LANGUAGES, ROLES, User, WebSession, utcnow
from web.passwords import password_problem

SESSION_LIFETIME = timedelta(hours=12)
_hasher = PasswordHasher()
# A real hash to verify against when the username is unknown, so timing does not reveal it.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """Bad input when creating an account (shown to the admin running the command)."""


@dataclass(frozen=True)
class SignedIn:
    """The account behind a valid session cookie."""

    user_id: int
    username: str
    display_name: str
    role: str
    csrf_token: str
    session_token: str
    #: languages besides English the peer chats in ("es")
    languages: tuple[str, ...] = ()

    def as_user(self) -> User:
        return User(id=self.user_id, username=self.username, display_name=self.display_name,
                    role=self.role)


def clean_languages(languages: Iterable[str]) -> str:
    """The stored form ("es"): known codes only, sorted, each once."""
    wanted = {code.strip().lower() for code in languages if code.strip()}
    unknown = wanted - set(PEER_LANGUAGES)
    if unknown:
        raise AccountError(
            f"languages: use {', '.join(PEER_LANGUAGES)} (got {', '.join(sorted(unknown))})"
        )
    return " ".join(sorted(wanted))


def languages_of(user: User) -> tuple[str, ...]:
    return tuple((user.languages or "").split())


def create_user(
    database_url: str, username: str, password: str, role: str, display_name: str,
    languages: Iterable[str] = (),
) -> User:
    username = username.strip().lower()
    if not username or len(username) > 64 or not username.replace("_", "").replace(
        "-", ""
    ).replace(".", "").isalnum():
        raise AccountError("username: use 1-64 letters, digits, '.', '-' or '_'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    problem = password_problem(password, (username, display_name))
    if problem:
        raise AccountError(problem)
    display_name = display_name.strip() or username
    stored_languages = clean_languages(languages)
    with session_scope(database_url) as session:
        if session.scalar(select(User).where(User.username == username)) is not None:
            raise AccountError(f"user {username!r} already exists")
        user = User(
            username=username,
            display_name=display_name[:80],
            role=role,
            password_hash=_hasher.hash(password),
            disabled=False,
            languages=stored_languages,
        )
        session.add(user)
        session.flush()
        return user


def authenticate(database_url: str, username: str, password: str) -> User | None:
    """The enabled user with this password, or None. Rehashes when argon2 settings change."""
    with session_scope(database_url) as session:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None or user.disabled:
            _verify(_DUMMY_HASH, password)
            return None
        if not _verify(user.password_hash, password):
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return user


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(database_url: str, user: User) -> WebSession:
    now = utcnow()
    with session_scope(database_url) as session:
        row = WebSession(
            token=secrets.token_urlsafe(32),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
        session.add(row)
        session.execute(delete(WebSession).where(WebSession.expires_at < now))
        return row


def lookup_session(database_url: str, token: str | None) -> SignedIn | None:
    if not token or len(token) > 64:
        return None
    with session_scope(database_url) as session:
        row = session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token == token)
        ).first()
        if row is None:
            return None
        web_session, user = row
        if web_session.expires_at < utcnow() or user.disabled:
            return None
        return SignedIn(user.id, user.username, user.display_name, user.role,
                        web_session.csrf_token, web_session.token, languages_of(user))


def end_session(database_url: str, token: str) -> None:
    with session_scope(database_url) as session:
        session.execute(delete(WebSession).where(WebSession.token == token))


def list_users(database_url: str) -> list[dict[str, object]]:
    """Every account, for the admin accounts page (never the password hash)."""
    with session_scope(database_url) as session:
        return [
            {"id": u.id, "username": u.username, "display_name": u.display_name,
             "role": u.role, "disabled": u.disabled, "languages": languages_of(u)}
            for u in session.scalars(select(User).order_by(User.username))
        ]


def set_disabled(database_url: str, user_id: int, disabled: bool) -> User | None:
    """Disable (signing them out everywhere) or re-enable an account."""
    with session_scope(database_url) as session:
        user = session.get(User, user_id)
        if user is None:
            return None
        user.disabled = disabled
        if disabled:
            session.execute(delete(WebSession).where(WebSession.user_id == user_id))
        return user


def set_languages(database_url: str, user_id: int, languages: Iterable[str]) -> User | None:
    """The languages besides English this account chats in (the peer, or an admin, says so)."""
    stored = clean_languages(languages)
    with session_scope(database_url) as session:
        user = session.get(User, user_id)
        if user is None:
            return None
        user.languages = stored
        return user


def reset_password(database_url: str, user_id: int, password: str) -> User | None:
    """Set a new password (policy: web/passwords.py) and end the account's sessions."""
    problem = password_problem(password)  # before the lookup: a bad request, whoever it is for
    if problem:
        raise AccountError(problem)
    with session_scope(database_url) as session:
        user = session.get(User, user_id)
        if user is None:
            return None
        problem = password_problem(password, (user.username, user.display_name))
        if problem:
            raise AccountError(problem)
        user.password_hash = _hasher.hash(password)
        session.execute(delete(WebSession).where(WebSession.user_id == user_id))
        return user
