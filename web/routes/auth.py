"""Peer and admin sign-in: login form with CSRF, rate limiting and lockout; logout."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from web import appkeys
from web.accounts import SignedIn, authenticate, end_session, lookup_session, start_session
from web.security import tokens_match

routes = web.RouteTableDef()
SESSION_COOKIE = "rn_session"
LOGIN_CSRF_COOKIE = "rn_login_csrf"
LOCKED_MESSAGE = "Too many failed sign-ins. Please wait 15 minutes and try again."

PeerHandler = Callable[[web.Request, SignedIn], Awaitable[web.StreamResponse]]


async def current_peer(request: web.Request) -> SignedIn | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    url = request.app[appkeys.CONFIG].database_url
    return await asyncio.to_thread(lookup_session, url, token)


def require_peer(handler: PeerHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Only signed-in peers and admins; others are sent to the login page."""

    @wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        signed_in = await current_peer(request)
        if signed_in is None or signed_in.role not in ("peer", "admin"):
            if request.path.startswith(("/peer/api/", "/peer/ws")):
                raise web.HTTPUnauthorized()
            raise web.HTTPFound("/peer/login")
        return await handler(request, signed_in)

    return wrapper


def _cookie_options(request: web.Request, **extra: Any) -> dict[str, Any]:
    return {
        "httponly": True,
        "samesite": "Lax",
        "secure": request.app[appkeys.CONFIG].production,
        "path": "/",
        **extra,
    }


def _login_page(
    request: web.Request, error: str | None = None, status: int = 200, username: str = ""
) -> web.Response:
    token = secrets.token_urlsafe(32)
    response = aiohttp_jinja2.render_template(
        "peer/login.html",
        request,
        {"csrf_token": token, "error": error, "username": username},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, **_cookie_options(request, samesite="Strict", path="/peer/")
    )
    return response


def landing(role: str) -> str:
    """Admins keep the directory true; peers talk with people: each starts on their own page."""
    return "/admin" if role == "admin" else "/peer"


@routes.get("/peer/", name="peer_slash")
async def peer_slash(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/peer")


@routes.get("/admin/", name="admin_slash")
async def admin_slash(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/admin")


@routes.get("/peer/login", name="login")
async def login_form(request: web.Request) -> web.StreamResponse:
    signed_in = await current_peer(request)
    if signed_in is not None:
        raise web.HTTPFound(landing(signed_in.role))
    return _login_page(request)


@routes.post("/peer/login")
async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    # NUL is dropped: PostgreSQL cannot compare text holding it (the lookup would fail).
    username = str(form.get("username", "")).replace("\x00", "").strip().lower()[:64]
    password = str(form.get("password", ""))[:1024]
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), str(form.get("csrf_token", ""))):
        return _login_page(
            request, "Your sign-in form expired. Please try again.", 400, username
        )
    limits = request.app[appkeys.LIMITS]
    address = request.remote or "unknown"
    # Failures count per (address, account): from one address nobody can lock a colleague out.
    account = f"{address} {username}"
    if not (limits.allowed("login", account) and limits.allowed("login_address", address)):
        return _login_page(request, LOCKED_MESSAGE, 429, username)
    url = request.app[appkeys.CONFIG].database_url
    user = await asyncio.to_thread(authenticate, url, username, password)
    if user is None or user.role not in ("peer", "admin"):
        limits.hit("login", account)
        limits.hit("login_address", address)
        return _login_page(request, "That username and password don't match.", 401, username)
    limits.clear("login", account)
    web_session = await asyncio.to_thread(start_session, url, user)
    response = web.HTTPFound(landing(user.role))
    response.set_cookie(SESSION_COOKIE, web_session.token, **_cookie_options(request))
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/peer/")
    raise response


@routes.post("/peer/logout", name="logout")
@require_peer
async def logout(request: web.Request, signed_in: SignedIn) -> web.StreamResponse:
    form = await request.post()
    if not tokens_match(signed_in.csrf_token, str(form.get("csrf_token", ""))):
        raise web.HTTPForbidden()
    config = request.app[appkeys.CONFIG]
    await asyncio.to_thread(end_session, config.database_url, signed_in.session_token)
    await request.app[appkeys.CONSOLES].close_session(signed_in.session_token)
    handoff = request.app[appkeys.HANDOFF]
    await asyncio.to_thread(handoff.set_presence, signed_in.as_user(), "away")
    response = web.HTTPFound("/peer/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response
