"""Server-rendered admin pages (role admin): services, capacity, verification, audit,
accounts, integration tokens, imports with preview and the HSDS export."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web
from multidict import MultiDictProxy

from resources_db import editing, meeting_refresh
from resources_db.freshness import capacity_is_stale
from resources_db.importers import local_csv
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS
from web import accounts, appkeys, audit, tokens
from web.admin import api, audit_view, imports, operations
from web.admin.access import Actor, admin_page
from web.routes.peer import languages_changed

routes = web.RouteTableDef()
T = TypeVar("T")
MULTI_FIELDS = ("needs", "insurance", "populations", "extra_phone", "extra_extension",
                "extra_description", "take_source")
DAYS = (("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"),
        ("FR", "Friday"), ("SA", "Saturday"), ("SU", "Sunday"))
#: empty rows offered for new phone lines
NEW_PHONE_ROWS = 2
#: a whole source file (the bundled SAMHSA CSVs are 2-6 MB); other requests stay at 64 KiB
UPLOAD_MAX_BYTES = 64 * 1024 * 1024


def _url(request: web.Request) -> str:
    return request.app[appkeys.CONFIG].database_url


def render(
    request: web.Request, template: str, actor: Actor, context: dict[str, Any],
    status: int = 200,
) -> web.Response:
    assert actor.admin is not None
    base = {"csrf_token": actor.admin.csrf_token, "admin": actor.admin,
            "needs_vocab": NEEDS, "payment_vocab": PAYMENT_VALUES,
            "population_vocab": POPULATIONS, "statuses": editing.STATUSES,
            "units": editing.CAPACITY_UNITS, "days": DAYS}
    return aiohttp_jinja2.render_template(template, request, {**base, **context},
                                          status=status)


def form_values(form: MultiDictProxy[Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k not in MULTI_FIELDS}
    for key in MULTI_FIELDS:
        values[key] = [str(v) for v in form.getall(key, [])]
    return values


def form_view(values: dict[str, Any]) -> dict[str, Any]:
    """What the form shows: a snapshot (phones, hours, languages as data) or what was typed
    (extra_phone…, hours_MO…, languages as text), flattened to the form's own fields."""
    shown = dict(values)
    shown["peer_run"] = _said_yes(values.get("peer_run"))
    shown["no_fixed_address"] = _said_yes(values.get("no_fixed_address"))
    if isinstance(values.get("hours"), dict):
        shown.update({f"hours_{day}": text for day, text in values["hours"].items()})
    if isinstance(values.get("languages"), list):
        shown["languages"] = ", ".join(values["languages"])
    if isinstance(values.get("phones"), list):
        rows = [{"number": p.get("number") or "", "extension": p.get("extension") or "",
                 "description": p.get("description") or ""} for p in values["phones"]]
    else:
        numbers = list(values.get("extra_phone") or [])
        extensions = list(values.get("extra_extension") or []) + [""] * len(numbers)
        descriptions = list(values.get("extra_description") or []) + [""] * len(numbers)
        rows = [{"number": n, "extension": e, "description": d}
                for n, e, d in zip(numbers, extensions, descriptions, strict=False) if n.strip()]
    shown["extra_phones"] = rows + [{"number": "", "extension": "", "description": ""}
                                    ] * NEW_PHONE_ROWS
    return shown


def _said_yes(value: object) -> bool:
    """A snapshot's boolean or what the form sent ("yes"), for checked boxes and radios."""
    try:
        return editing.yes_no(value)
    except ValueError:
        return False


def _page_number(query: Mapping[str, str]) -> int:
    raw = query.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


@routes.get("/admin", name="admin_home")
@admin_page
async def home(request: web.Request, actor: Actor) -> web.StreamResponse:
    raise web.HTTPFound("/admin/services")


@routes.get("/admin/services", name="admin_services")
@admin_page
async def services(request: web.Request, actor: Actor) -> web.StreamResponse:
    try:
        filters = api.service_filter(request.query)
    except editing.InvalidEdit:
        filters = editing.ServiceFilter()
    page_number = _page_number(request.query)
    page = await operations.read(
        _url(request), lambda s: editing.list_services(s, filters, page_number))
    return render(request, "admin/services.html", actor, {"page": page, "filters": filters})


def _capacity_rows(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    now = operations.now()
    return [{**c, "stale": capacity_is_stale(c["updated_at"], now)}
            for c in snapshot.get("capacity", [])]


async def _edit_page(
    request: web.Request, actor: Actor, service_id: str, *, values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None, message: str | None = None, status: int = 200,
) -> web.Response:
    try:
        current = await operations.service_snapshot(_url(request), service_id)
    except editing.NotFound:
        raise web.HTTPNotFound() from None
    shown = values or {**current, "latitude": None, "longitude": None}
    return render(request, "admin/service_form.html", actor, {
        "service": current, "values": form_view(shown), "errors": errors or {},
        "message": message, "capacity": _capacity_rows(current),
        "version": shown.get("version", current["version"]),
    }, status=status)


@routes.get("/admin/services/new", name="admin_service_new")
@admin_page
async def new_service(request: web.Request, actor: Actor) -> web.StreamResponse:
    return render(request, "admin/service_form.html", actor,
                  {"service": None, "values": form_view({"needs": [], "insurance": [],
                                                         "populations": []}), "errors": {}})


@routes.post("/admin/services/new")
@admin_page
async def create_service(request: web.Request, actor: Actor) -> web.StreamResponse:
    values = form_values(await request.post())
    try:
        parsed = editing.parse_service_input(values)
        today = operations.today()
        change = await operations.apply(
            _url(request), actor.name, lambda s: editing.create_service(s, parsed, today))
    except editing.InvalidEdit as exc:
        return render(request, "admin/service_form.html", actor,
                      {"service": None, "values": form_view(values), "errors": exc.errors},
                      status=400)
    raise web.HTTPSeeOther(f"/admin/services/{change.record_id}?saved=1")


@routes.get("/admin/services/{service_id}", name="admin_service")
@admin_page
async def edit_service(request: web.Request, actor: Actor) -> web.StreamResponse:
    message = "Saved." if request.query.get("saved") else None
    return await _edit_page(request, actor, request.match_info["service_id"], message=message)


async def _change(
    request: web.Request, actor: Actor, service_id: str, edit: operations.Edit,
    values: dict[str, Any] | None = None,
) -> web.StreamResponse:
    """Apply an edit; on a conflict or bad input show the form again with the reason."""
    try:
        await operations.apply(_url(request), actor.name, edit)
    except editing.EditConflict as exc:
        return await _edit_page(request, actor, service_id, message=str(exc), status=409)
    except editing.InvalidEdit as exc:
        return await _edit_page(request, actor, service_id, values=values, errors=exc.errors,
                                status=400)
    except editing.NotFound:
        raise web.HTTPNotFound() from None
    raise web.HTTPSeeOther(f"/admin/services/{service_id}?saved=1")


async def _versioned_change(
    request: web.Request, actor: Actor, edit: operations.VersionedEdit[T],
    parse: Callable[[dict[str, Any]], T], *, keep_typed: bool = False,
) -> web.StreamResponse:
    """A form that sends the version it was loaded at: bad input shows the form again (with
    what was typed when `keep_typed`, else as stored)."""
    service_id = request.match_info["service_id"]
    values = form_values(await request.post())
    shown = values if keep_typed else None
    try:
        version = editing.parse_version(values.get("version"))
        value = parse(values)
    except editing.InvalidEdit as exc:
        return await _edit_page(request, actor, service_id, values=shown, errors=exc.errors,
                                status=400)
    return await _change(request, actor, service_id,
                         lambda s: edit(s, service_id, version, value), shown)


@routes.post("/admin/services/{service_id}")
@admin_page
async def update_service(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await _versioned_change(request, actor, editing.update_service,
                                   editing.parse_service_input, keep_typed=True)


@routes.post("/admin/services/{service_id}/status")
@admin_page
async def set_status(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await _versioned_change(request, actor, editing.set_status,
                                   lambda values: str(values.get("status", "")))


@routes.post("/admin/services/{service_id}/verify")
@admin_page
async def verify(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await _versioned_change(request, actor, editing.mark_verified,
                                   lambda _: operations.today())


@routes.post("/admin/services/{service_id}/capacity")
@admin_page
async def capacity(request: web.Request, actor: Actor) -> web.StreamResponse:
    service_id = request.match_info["service_id"]
    form = form_values(await request.post())
    try:
        available, total, unit = editing.parse_capacity(form)
        raw = form.get("capacity_version") or None
        version = editing.parse_version(raw) if raw else None
    except editing.InvalidEdit as exc:
        errors = {f"capacity_{k}": v for k, v in exc.errors.items()}
        return await _edit_page(request, actor, service_id, errors=errors, status=400)
    now = operations.now()
    return await _change(
        request, actor, service_id,
        lambda s: editing.update_capacity(s, service_id, available, total, unit,
                                          actor=actor.name, now=now, version=version))


@routes.get("/admin/stale", name="admin_stale")
@admin_page
async def stale(request: web.Request, actor: Actor) -> web.StreamResponse:
    page_number = _page_number(request.query)
    today = operations.today()
    page = await operations.read(
        _url(request), lambda s: editing.stale_verifications(s, today, page_number))
    return render(request, "admin/stale.html", actor, {"page": page})


@routes.get("/admin/audit", name="admin_audit")
@admin_page
async def audit_page(request: web.Request, actor: Actor) -> web.StreamResponse:
    page_number = _page_number(request.query)
    error = None
    try:
        filters = audit.parse_filter(request.query)
    except audit.BadFilter as exc:
        filters, error = audit.AuditFilter(), str(exc)

    def read(session: Any) -> tuple[list[dict[str, Any]], int]:
        items, total = audit.entries(session, filters, page_number)
        return audit_view.readable(session, items), total

    items, total = await operations.read(_url(request), read)
    query = {k: v for k, v in request.query.items() if k != "page" and v}
    return render(request, "admin/audit.html", actor, {
        "items": items, "total": total, "page": page_number, "filters": filters,
        "query": urlencode(query), "error": error, "pages": max(1, -(-total // 50))},
        status=400 if error else 200)


@routes.get("/admin/audit.csv", name="admin_audit_csv")
@admin_page
async def audit_csv(request: web.Request, actor: Actor) -> web.StreamResponse:
    try:
        filters = audit.parse_filter(request.query)
    except audit.BadFilter as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    text = await operations.read(_url(request), lambda s: "".join(audit.csv_lines(s, filters)))
    return web.Response(
        text=text, content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})


async def _accounts_page(request: web.Request, actor: Actor, message: str | None = None,
                         error: str | None = None, status: int = 200) -> web.Response:
    users = await asyncio.to_thread(accounts.list_users, _url(request))
    return render(request, "admin/accounts.html", actor,
                  {"users": users, "message": message, "error": error}, status=status)


@routes.get("/admin/accounts", name="admin_accounts")
@admin_page
async def accounts_page(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await _accounts_page(request, actor)


def _user_id(request: web.Request) -> int:
    raw = request.match_info["user_id"]
    if not raw.isdigit() or len(raw) > 9:
        raise web.HTTPNotFound()
    return int(raw)


async def _audit_account(request: web.Request, actor: Actor, action: str, user_id: int,
                         after: dict[str, Any]) -> None:
    change = editing.Change(action, "account", str(user_id), None, after)
    await operations.read(_url(request), lambda s: audit.record(s, actor.name, change))


@routes.post("/admin/accounts/{user_id}/disable")
@admin_page
async def disable_account(request: web.Request, actor: Actor) -> web.StreamResponse:
    user_id = _user_id(request)
    assert actor.admin is not None
    if user_id == actor.admin.user_id:
        return await _accounts_page(request, actor, error="You can't disable your own account.",
                                    status=400)
    disabled = str((await request.post()).get("disabled", "1")) == "1"
    user = await asyncio.to_thread(accounts.set_disabled, _url(request), user_id, disabled)
    if user is None:
        raise web.HTTPNotFound()
    if disabled:
        await request.app[appkeys.CONSOLES].close_user(user_id)
    await _audit_account(request, actor, "account_disable" if disabled else "account_enable",
                         user_id, {"username": user.username, "disabled": disabled})
    word = "disabled" if disabled else "enabled"
    return await _accounts_page(request, actor, message=f"{user.username} is {word}.")


@routes.post("/admin/accounts/{user_id}/password")
@admin_page
async def reset_password(request: web.Request, actor: Actor) -> web.StreamResponse:
    user_id = _user_id(request)
    password = str((await request.post()).get("password", ""))[:1024]
    try:
        user = await asyncio.to_thread(accounts.reset_password, _url(request), user_id, password)
    except accounts.AccountError as exc:
        return await _accounts_page(request, actor, error=str(exc), status=400)
    if user is None:
        raise web.HTTPNotFound()
    await request.app[appkeys.CONSOLES].close_user(user_id)
    await _audit_account(request, actor, "password_reset", user_id, {"username": user.username})
    return await _accounts_page(request, actor,
                                message=f"New password set for {user.username}.")


@routes.post("/admin/accounts/{user_id}/languages")
@admin_page
async def account_languages(request: web.Request, actor: Actor) -> web.StreamResponse:
    """Which languages besides English a peer chats in (people who write in them are offered
    to the peer first); the peer's open consoles follow at once."""
    wanted = [str(v) for v in (await request.post()).getall("languages", [])][:8]
    try:
        spoken = await languages_changed(request.app, _user_id(request), wanted, actor.name)
    except accounts.AccountError as exc:
        return await _accounts_page(request, actor, error=str(exc), status=400)
    if spoken is None:
        raise web.HTTPNotFound()
    return await _accounts_page(request, actor, message="Languages saved.")


async def _tokens_page(request: web.Request, actor: Actor, **context: Any) -> web.Response:
    items = await operations.read(_url(request), tokens.all_tokens)
    status = context.pop("status", 200)
    return render(request, "admin/tokens.html", actor,
                  {"tokens": items, "scopes": tokens.SCOPES, "new_token": None, "error": None,
                   **context}, status=status)


@routes.get("/admin/tokens", name="admin_tokens")
@admin_page
async def tokens_page(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await _tokens_page(request, actor)


@routes.post("/admin/tokens")
@admin_page
async def create_token(request: web.Request, actor: Actor) -> web.StreamResponse:
    form = await request.post()
    data = {"name": str(form.get("name", "")),
            "scopes": [str(s) for s in form.getall("scopes", [])],
            "service_ids": str(form.get("service_ids", "")).replace(",", " ").split()}
    try:
        created = await asyncio.to_thread(api._create_token, _url(request), actor, data)
    except tokens.TokenError as exc:
        return await _tokens_page(request, actor, error=str(exc), status=400)
    return await _tokens_page(request, actor, new_token=created)


@routes.post("/admin/tokens/{token_id}/revoke")
@admin_page
async def revoke_token(request: web.Request, actor: Actor) -> web.StreamResponse:
    raw = request.match_info["token_id"]
    if not raw.isdigit() or len(raw) > 9:
        raise web.HTTPNotFound()
    described = await asyncio.to_thread(api._revoke_token, _url(request), actor, int(raw))
    if described is None:
        raise web.HTTPNotFound()
    raise web.HTTPSeeOther("/admin/tokens")


def _session_token(actor: Actor) -> str:
    """The admin's session: a pending upload belongs to the session that sent it."""
    assert actor.admin is not None
    return actor.admin.session_token


@routes.get("/admin/imports", name="admin_imports")
@admin_page
async def imports_page(request: web.Request, actor: Actor) -> web.StreamResponse:
    feeds = await asyncio.to_thread(meeting_refresh.feed_states, _url(request))
    return render(request, "admin/imports.html", actor,
                  {"formats": imports.format_names(), "error": None, "feeds": feeds})


@routes.get("/admin/imports/local-supports.csv", name="admin_local_template")
@admin_page
async def local_template(request: web.Request, actor: Actor) -> web.StreamResponse:
    """The header row of the local supports CSV (the columns docs/admin.md explains)."""
    return web.Response(
        text=",".join(local_csv.COLUMNS.expected) + "\r\n", content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="local-supports.csv"'})


@routes.post("/admin/imports")
@partial(admin_page, max_body_bytes=UPLOAD_MAX_BYTES)
async def upload(request: web.Request, actor: Actor) -> web.StreamResponse:
    form = await request.post()
    fmt = str(form.get("format", ""))
    upload_field = form.get("file")
    error = None
    if fmt not in imports.format_names():
        error = "Choose the file's format."
    elif not isinstance(upload_field, web.FileField):
        error = "Choose a file to upload."
    if error is not None or not isinstance(upload_field, web.FileField):
        return render(request, "admin/imports.html", actor,
                      {"formats": imports.format_names(), "error": error, "feeds": []},
                      status=400)
    data = upload_field.file.read()
    pending = await asyncio.to_thread(imports.store, _url(request), _session_token(actor),
                                      fmt, upload_field.filename or "upload", data)
    summary = await asyncio.to_thread(imports.preview, _url(request), pending)
    return render(request, "admin/import_preview.html", actor,
                  {"pending": pending, "summary": summary})


@routes.post("/admin/imports/{import_id}/commit")
@admin_page
async def commit_import(request: web.Request, actor: Actor) -> web.StreamResponse:
    form = await request.post()
    take_source = imports.parse_take_source([str(v) for v in form.getall("take_source", [])])
    done = await asyncio.to_thread(imports.commit, _url(request), request.match_info["import_id"],
                                   _session_token(actor), actor.name, take_source)
    if done is None:
        raise web.HTTPNotFound()
    pending, summary = done
    return render(request, "admin/import_done.html", actor,
                  {"pending": pending, "summary": summary})


@routes.post("/admin/imports/{import_id}/cancel")
@admin_page
async def cancel_import(request: web.Request, actor: Actor) -> web.StreamResponse:
    if not await asyncio.to_thread(imports.cancel, _url(request),
                                   request.match_info["import_id"], _session_token(actor)):
        raise web.HTTPNotFound()
    raise web.HTTPSeeOther("/admin/imports")


@routes.get("/admin/export/hsds.zip", name="admin_export")
@admin_page
async def export(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await api.hsds_zip(request)
