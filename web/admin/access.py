"""Who may use the admin pages and API: signed-in admins, or scoped integration tokens.

Pages: anonymous → the sign-in page, peers → 403. API: anonymous → 401, peers → 403; a browser
session must send its CSRF token in `X-CSRF-Token` on every change; a bearer integration
token (no cookies, so no CSRF) works only on endpoints that accept its scope.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps

from aiohttp import web

from resources_db.db import session_scope
from web import appkeys
from web.accounts import SignedIn
from web.routes.auth import current_peer
from web.security import tokens_match
from web.tokens import Grant, lookup

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Actor:
    """The admin or token behind a request; `name` is what the audit log records."""

    name: str
    admin: SignedIn | None = None
    grant: Grant | None = None


AdminHandler = Callable[[web.Request, Actor], Awaitable[web.StreamResponse]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _admin_actor(signed_in: SignedIn) -> Actor:
    return Actor(f"user:{signed_in.username}", admin=signed_in)


def admin_page(handler: AdminHandler, *, max_body_bytes: int | None = None) -> Handler:
    """HTML pages: admins only; forms are checked for the session's CSRF token.

    `max_body_bytes` raises the app's small request limit for this page, and only once the
    admin is known (an upload of a whole source file); everyone else keeps the small one.
    """

    @wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        signed_in = await current_peer(request)
        if signed_in is None:
            raise web.HTTPFound("/peer/login")
        if signed_in.role != "admin":
            raise web.HTTPForbidden()
        if max_body_bytes is not None:
            request = request.clone(client_max_size=max_body_bytes)
        if request.method not in SAFE_METHODS:
            form = await request.post()
            if not tokens_match(signed_in.csrf_token, str(form.get("csrf_token", ""))):
                raise web.HTTPForbidden()
        return await handler(request, _admin_actor(signed_in))

    return wrapper


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _find_grant(database_url: str, presented: str) -> Grant | None:
    with session_scope(database_url) as session:
        return lookup(session, presented)


def admin_api(token_scope: str | None = None) -> Callable[[AdminHandler], Handler]:
    """JSON API: an admin session (+ CSRF header on changes) or, where `token_scope` is
    given, an integration token with that scope (the handler checks the service)."""

    def decorate(handler: AdminHandler) -> Handler:
        @wraps(handler)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            url = request.app[appkeys.CONFIG].database_url
            presented = _bearer(request)
            if presented is not None:
                grant = await asyncio.to_thread(_find_grant, url, presented)
                if grant is None:
                    raise web.HTTPUnauthorized()
                if token_scope is None or token_scope not in grant.scopes:
                    raise web.HTTPForbidden()
                return await handler(request, Actor(grant.actor, grant=grant))
            signed_in = await current_peer(request)
            if signed_in is None:
                raise web.HTTPUnauthorized()
            if signed_in.role != "admin":
                raise web.HTTPForbidden()
            if request.method not in SAFE_METHODS and not tokens_match(
                signed_in.csrf_token, request.headers.get(CSRF_HEADER)
            ):
                raise web.HTTPForbidden()
            return await handler(request, _admin_actor(signed_in))

        return wrapper

    return decorate
