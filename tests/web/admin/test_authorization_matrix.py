"""Every route of the app, as anonymous, peer and admin, gets exactly the status in RULES.

The routes come from `app.router`, so a new route without a rule here fails the test.
HEAD routes mirror their GET (aiohttp adds them) and are not listed. Requests carry a valid
CSRF token (form field and header), so what is tested is the role check, and for admins the
first answer past it (a 400 for an empty form, a 404 for an unknown id).
"""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from tests.fixtures.directory import fixture_service_id
from web.accounts import start_session
from web.config import WebConfig
from web.models import User

ANON, PEER, ADMIN = 0, 1, 2
SERVICE = fixture_service_id("detox")
PATH_VALUES = {"service_id": SERVICE, "user_id": "999999", "token_id": "999999",
               "import_id": "no-such-upload", "conversation_id": "example-conversation-0001"}
PAGE = (302, 403, 200)  # admin page: sign-in redirect, forbidden, shown
API = (401, 403, 200)
# Admin actions, for an admin the first answer past the role check: the empty form (or
# body) refused, or the unknown id not found.
FORM_REFUSED, FORM_NOT_FOUND = (302, 403, 400), (302, 403, 404)
API_REFUSED, API_NOT_FOUND = (401, 403, 400), (401, 403, 404)
RULES: dict[tuple[str, str], tuple[int, int, int]] = {
    ("GET", "/"): (200, 200, 200),
    ("GET", "/ws"): (403, 403, 403),  # needs a same-Origin WebSocket upgrade
    ("GET", "/api/v1/search"): (400, 400, 400),  # no location given
    ("GET", "/healthz"): (200, 200, 200),
    ("GET", "/privacy"): (200, 200, 200),
    # the test client is on loopback with no proxy header; anyone else gets 404
    # (tests/web/test_metrics.py)
    ("GET", "/metrics"): (200, 200, 200),
    # the person's own erase button: same-Origin only (the matrix sends no Origin)
    ("DELETE", "/api/v1/conversations/{conversation_id}"): (403, 403, 403),
    ("GET", "/api/v1/openapi.json"): (200, 200, 200),
    ("GET", "/static"): (200, 200, 200),
    ("GET", "/peer/login"): (200, 302, 302),
    ("POST", "/peer/login"): (400, 400, 400),  # no login-form cookie
    ("POST", "/peer/logout"): (302, 302, 302),
    ("GET", "/peer"): (302, 200, 200),
    ("GET", "/peer/"): (302, 302, 302),  # the README's address: to /peer
    ("GET", "/admin/"): (302, 302, 302),  # to /admin
    ("GET", "/peer/api/parse"): (401, 400, 400),
    ("POST", "/peer/api/languages"): (401, 200, 200),  # an empty form: English only
    ("GET", "/peer/ws"): (401, 403, 403),
    ("GET", "/admin"): (302, 403, 302),
    ("GET", "/admin/services"): PAGE,
    ("GET", "/admin/services/new"): PAGE,
    ("POST", "/admin/services/new"): FORM_REFUSED,
    ("GET", "/admin/services/{service_id}"): PAGE,
    ("POST", "/admin/services/{service_id}"): FORM_REFUSED,
    ("POST", "/admin/services/{service_id}/status"): FORM_REFUSED,
    ("POST", "/admin/services/{service_id}/verify"): FORM_REFUSED,
    ("POST", "/admin/services/{service_id}/capacity"): FORM_REFUSED,
    ("GET", "/admin/stale"): PAGE,
    ("GET", "/admin/audit"): PAGE,
    ("GET", "/admin/audit.csv"): PAGE,
    ("GET", "/admin/accounts"): PAGE,
    ("POST", "/admin/accounts/{user_id}/disable"): FORM_NOT_FOUND,
    ("POST", "/admin/accounts/{user_id}/password"): FORM_REFUSED,
    ("POST", "/admin/accounts/{user_id}/languages"): FORM_NOT_FOUND,
    ("GET", "/admin/tokens"): PAGE,
    ("POST", "/admin/tokens"): FORM_REFUSED,
    ("POST", "/admin/tokens/{token_id}/revoke"): FORM_NOT_FOUND,
    ("GET", "/admin/imports"): PAGE,
    ("GET", "/admin/imports/local-supports.csv"): PAGE,
    ("POST", "/admin/imports"): FORM_REFUSED,
    ("POST", "/admin/imports/{import_id}/commit"): FORM_NOT_FOUND,
    ("POST", "/admin/imports/{import_id}/cancel"): FORM_NOT_FOUND,
    ("GET", "/admin/export/hsds.zip"): PAGE,
    ("GET", "/api/v1/admin/services"): API,
    ("POST", "/api/v1/admin/services"): API_REFUSED,
    ("GET", "/api/v1/admin/services/{service_id}"): API,
    ("PUT", "/api/v1/admin/services/{service_id}"): API_REFUSED,
    ("POST", "/api/v1/admin/services/{service_id}/status"): API_REFUSED,
    ("POST", "/api/v1/admin/services/{service_id}/verify"): API_REFUSED,
    ("PUT", "/api/v1/admin/services/{service_id}/capacity"): API_REFUSED,
    ("GET", "/api/v1/admin/stale"): API,
    ("GET", "/api/v1/admin/audit"): API,
    ("GET", "/api/v1/admin/tokens"): API,
    ("POST", "/api/v1/admin/tokens"): API_REFUSED,
    ("DELETE", "/api/v1/admin/tokens/{token_id}"): API_NOT_FOUND,
    ("GET", "/api/v1/admin/export/hsds"): API,
    ("POST", "/api/v1/admin/imports"): API_REFUSED,  # no format given
    ("POST", "/api/v1/admin/imports/{import_id}/commit"): API_NOT_FOUND,
    ("DELETE", "/api/v1/admin/imports/{import_id}"): API_NOT_FOUND,
}


def _routes(server: TestServer) -> list[tuple[str, str]]:
    found = set()
    for route in server.app.router.routes():
        if route.method == "HEAD" or route.resource is None:
            continue
        found.add((route.method, route.resource.canonical))
    return sorted(found)


def _url(path: str) -> str:
    if path == "/static":
        return "/static/chat.css"
    return path.format(**PATH_VALUES)


def _headers(config: WebConfig, user: User | None) -> tuple[dict[str, str], str]:
    if user is None:
        return {}, ""
    session = start_session(config.database_url, user)  # fresh: logout ends one
    return {"Cookie": f"rn_session={session.token}", "X-CSRF-Token": session.csrf_token,
            "Accept": "text/html"}, session.csrf_token


async def test_every_route_has_a_rule(server: TestServer) -> None:
    missing = [route for route in _routes(server) if route not in RULES]
    assert not missing, f"routes without an authorization rule: {missing}"
    stale = [rule for rule in RULES if rule not in _routes(server)]
    assert not stale, f"rules for routes that no longer exist: {stale}"


async def test_each_role_gets_exactly_the_allowed_status(
    client: TestClient, server: TestServer, web_config: WebConfig
) -> None:
    from web.accounts import create_user

    users = [None,
             create_user(web_config.database_url, "matrix-peer", "example password 1", "peer",
                         "Peer"),
             create_user(web_config.database_url, "matrix-admin", "example password 2", "admin",
                         "Admin")]
    wrong: list[str] = []
    for method, path in _routes(server):
        for role, user in enumerate(users):
            headers, csrf = _headers(web_config, user)
            url = _url(path)
            if path.startswith("/api/"):
                response = await client.request(method, url, headers=headers, json={},
                                                allow_redirects=False)
            else:
                data = {"csrf_token": csrf} if method == "POST" else None
                response = await client.request(method, url, headers=headers, data=data,
                                                allow_redirects=False)
            expected = RULES[(method, path)][role]
            if response.status != expected:
                wrong.append(f"{method} {path} as {('anonymous', 'peer', 'admin')[role]}: "
                             f"{response.status}, expected {expected}")
            response.release()
    assert not wrong, "\n".join(wrong)
