"""Security middlewares and helpers: headers, error pages without stack traces, CSRF, origin."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from web import appkeys
from web.i18n import N_, page_context, translate

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


#: staff pages and data (the audit CSV, accounts, the console): never kept by a browser or proxy
PRIVATE_PREFIXES = ("/admin", "/api/v1/admin", "/peer")


def security_headers(production: bool) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # raised redirects carry the headers too
            _apply(request, exc, production)
            raise
        if not response.prepared:  # WebSocket responses are already sent
            _apply(request, response, production)
        return response

    return middleware


def _apply(request: web.Request, response: web.StreamResponse, production: bool) -> None:
    apply_headers(response, production)
    if request.path.startswith(PRIVATE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"


def apply_headers(response: web.StreamResponse, production: bool) -> None:
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if production:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"


def wants_json(request: web.Request) -> bool:
    return request.path.startswith(("/api/", "/healthz", "/peer/api/")) or (
        "application/json" in request.headers.get("Accept", "")
    )


def error_response(
    request: web.Request, status: int, code: str, message: str
) -> web.StreamResponse:
    if wants_json(request):
        return web.json_response(
            {"error": {"code": code, "message": message, "field": None}}, status=status
        )
    page = page_context(request)
    return aiohttp_jinja2.render_template(
        "error.html",
        request,
        {**page, "status": status, "message": translate(page["lang"], message)},
        status=status,
    )


ERROR_MESSAGES = {
    400: ("bad_request", N_("Something in that request was not right.")),
    401: ("unauthorized", N_("Please sign in.")),
    403: ("forbidden", N_("You can't do that here.")),
    404: ("not_found", N_("We couldn't find that page.")),
    405: ("method_not_allowed", N_("That page doesn't accept this kind of request.")),
    413: ("too_large", N_("That was too much to send at once.")),
    429: ("rate_limited", N_("Too many requests. Please wait a moment and try again.")),
}


@web.middleware
async def error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn errors into short, kind pages or JSON. Never a stack trace, never a 500."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status not in ERROR_MESSAGES:
            raise
        code, message = ERROR_MESSAGES[exc.status]
        response = error_response(request, exc.status, code, message)
        for name in ("Location", "Allow"):
            if name in exc.headers:
                response.headers[name] = exc.headers[name]
        return response
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(
            request, 503, "unavailable",
            N_("Something went wrong on our side. Please try again in a moment."),
        )


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison for CSRF tokens; empty never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def same_origin(request: web.Request) -> bool:
    """True when `Origin` is one of the configured public origins (`RN_PUBLIC_ORIGIN`), or,
    with none configured, a loopback origin (development). The Host header is never trusted:
    a client chooses it freely (WebSocket hijacking guard)."""
    origin = request.headers.get("Origin")
    if not origin:
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    configured = request.app[appkeys.CONFIG].public_origins
    if configured:
        return f"{parts.scheme}://{parts.netloc.lower()}" in configured
    return (parts.hostname or "") in LOOPBACK_HOSTS
