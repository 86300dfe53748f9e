"""Integration tokens: a provider's system pushes capacity for its own services.

The token is 32 random bytes shown once; only its SHA-256 is stored (a fast hash is enough
for a high-entropy secret, unlike passwords). Each token has scopes and the service ids it
may change, and can be revoked at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from web.models import IntegrationToken, utcnow

PREFIX = "rnt_"
SCOPES = ("capacity:write",)


class TokenError(ValueError):
    """Bad input when creating a token (shown to the admin)."""


@dataclass(frozen=True)
class Grant:
    """What a presented, valid token allows."""

    token_id: int
    name: str
    scopes: frozenset[str]
    service_ids: frozenset[str]

    @property
    def actor(self) -> str:
        return f"token:{self.name}"

    def allows(self, scope: str, service_id: str) -> bool:
        return scope in self.scopes and service_id in self.service_ids


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    session: Session, name: str, scopes: list[str], service_ids: list[str], created_by: str
) -> tuple[IntegrationToken, str]:
    """(stored row, the plain token to show once)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise TokenError("Give the token a name of 1-80 characters, e.g. the provider's.")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise TokenError(f"Choose scopes from: {', '.join(SCOPES)}.")
    ids = sorted({s.strip() for s in service_ids if s.strip()})
    if not ids:
        raise TokenError("List at least one service id this token may update.")
    plain = PREFIX + secrets.token_urlsafe(32)
    row = IntegrationToken(
        name=name, token_hash=digest(plain), scopes=" ".join(sorted(set(scopes))),
        service_ids=ids, created_by=created_by, created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row, plain


def lookup(session: Session, presented: str) -> Grant | None:
    """The grant of a valid, unrevoked token (and stamp its last use), else None."""
    if not presented.startswith(PREFIX) or len(presented) > 128:
        return None
    row = session.scalar(
        select(IntegrationToken).where(IntegrationToken.token_hash == digest(presented))
    )
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = utcnow()
    return Grant(row.id, row.name, frozenset(row.scopes.split()), frozenset(row.service_ids))


def revoke(session: Session, token_id: int) -> dict[str, Any] | None:
    """Revoke a token; returns its description, or None when there is no such token."""
    row = session.get(IntegrationToken, token_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return describe(row)


def describe(row: IntegrationToken) -> dict[str, Any]:
    def stamp(value: Any) -> str | None:
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None

    return {
        "id": row.id,
        "name": row.name,
        "scopes": row.scopes.split(),
        "service_ids": list(row.service_ids),
        "created_by": row.created_by,
        "created_at": stamp(row.created_at),
        "revoked_at": stamp(row.revoked_at),
        "last_used_at": stamp(row.last_used_at),
    }


def all_tokens(session: Session) -> list[dict[str, Any]]:
    return [describe(r) for r in session.scalars(select(IntegrationToken).order_by(
        IntegrationToken.id.desc()))]
