"""Admin JSON API under /api/v1/admin/: the same operations as the pages.

Errors: 400 `{"error": {"code": "invalid", "message", "field", "fields": {field: message}}}`,
404 unknown service, 409 `{"error": {"code": "conflict", …, "current_version"}}` for a stale
version. Handlers raise these (`editing.EditError`, `tokens.TokenError`); the middleware in
`web.admin.errors` answers them.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from resources_db import editing
from resources_db.db import session_scope
from resources_db.importers.hsds import export_hsds
from web import appkeys, audit, tokens
from web.admin import imports, operations
from web.admin.access import Actor, admin_api
from web.admin.errors import PREFIX, error
from web.json_body import BadBody, read_object

routes = web.RouteTableDef()
T = TypeVar("T")


async def body_json(request: web.Request) -> dict[str, Any]:
    try:
        return await read_object(request)
    except BadBody:
        raise editing.InvalidEdit({"body": "Send a JSON object."}) from None


def _url(request: web.Request) -> str:
    return request.app[appkeys.CONFIG].database_url


def _int(request: web.Request, key: str, default: int, high: int) -> int:
    raw = request.query.get(key)
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        raise editing.InvalidEdit({key: "Enter a whole number."}) from None
    if not 1 <= value <= high:
        raise editing.InvalidEdit({key: f"Enter a number from 1 to {high}."})
    return value


def page_json(page: editing.Page) -> dict[str, Any]:
    return {"items": page.items, "total": page.total, "page": page.page,
            "per_page": page.per_page}


def service_filter(query: Any) -> editing.ServiceFilter:
    status = query.get("status") or None
    if status is not None and status not in editing.STATUSES:
        raise editing.InvalidEdit({"status": "Unknown status."})
    need = query.get("need") or None
    if need is not None and need not in editing.NEEDS:
        raise editing.InvalidEdit({"need": "Unknown need."})
    return editing.ServiceFilter(q=(query.get("q") or "")[:200] or None, need=need,
                                 status=status, state=(query.get("state") or "")[:2] or None)


@routes.get(PREFIX + "/services")
@admin_api()
async def list_services(request: web.Request, actor: Actor) -> web.StreamResponse:
    filters = service_filter(request.query)
    page = _int(request, "page", 1, 100_000)
    per_page = _int(request, "per_page", 25, 100)
    result = await operations.read(
        _url(request), lambda s: editing.list_services(s, filters, page, per_page))
    return web.json_response(page_json(result))


async def _applied(request: web.Request, actor: Actor, edit: operations.Edit,
                   status: int = 200) -> web.Response:
    """Run the audited edit; answer with the record as it is now."""
    change = await operations.apply(_url(request), actor.name, edit)
    return web.json_response(change.after, status=status)


async def _versioned(request: web.Request) -> tuple[str, dict[str, Any], int]:
    """The service in the path, the JSON body and the version it was loaded at."""
    data = await body_json(request)
    return request.match_info["service_id"], data, editing.parse_version(data.get("version"))


@routes.post(PREFIX + "/services")
@admin_api()
async def create_service(request: web.Request, actor: Actor) -> web.StreamResponse:
    values = editing.parse_service_input(await body_json(request))
    today = operations.today()
    return await _applied(request, actor, lambda s: editing.create_service(s, values, today),
                          status=201)


@routes.get(PREFIX + "/services/{service_id}")
@admin_api()
async def get_service(request: web.Request, actor: Actor) -> web.StreamResponse:
    service_id = request.match_info["service_id"]
    return web.json_response(await operations.service_snapshot(_url(request), service_id))


async def _versioned_edit(
    request: web.Request, actor: Actor, edit: operations.VersionedEdit[T],
    value: Callable[[dict[str, Any]], T],
) -> web.Response:
    """Apply `edit` to the service in the path at the body's version, with `value(body)`."""
    service_id, data, version = await _versioned(request)
    argument = value(data)
    return await _applied(request, actor, lambda s: edit(s, service_id, version, argument))


@routes.put(PREFIX + "/services/{service_id}")
@admin_api()
async def update_service(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await _versioned_edit(request, actor, editing.update_service,
                                 editing.parse_service_input)


@routes.post(PREFIX + "/services/{service_id}/status")
@admin_api()
async def set_status(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await _versioned_edit(request, actor, editing.set_status,
                                 lambda data: str(data.get("status", "")))


@routes.post(PREFIX + "/services/{service_id}/verify")
@admin_api()
async def verify(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await _versioned_edit(request, actor, editing.mark_verified,
                                 lambda _: operations.today())


@routes.put(PREFIX + "/services/{service_id}/capacity")
@admin_api(token_scope="capacity:write")
async def update_capacity(request: web.Request, actor: Actor) -> web.StreamResponse:
    """Admins, or a provider's token scoped to this service, report open beds/slots."""
    service_id = request.match_info["service_id"]
    if actor.grant is not None and not actor.grant.allows("capacity:write", service_id):
        raise web.HTTPForbidden()
    data = await body_json(request)
    available, total, unit = editing.parse_capacity(data)
    raw_version = data.get("version")
    version = None if raw_version is None else editing.parse_version(raw_version)
    now = operations.now()
    return await _applied(
        request, actor,
        lambda s: editing.update_capacity(s, service_id, available, total, unit,
                                          actor=actor.name, now=now, version=version))


@routes.get(PREFIX + "/stale")
@admin_api()
async def stale(request: web.Request, actor: Actor) -> web.StreamResponse:
    page = _int(request, "page", 1, 100_000)
    today = operations.today()
    result = await operations.read(
        _url(request), lambda s: editing.stale_verifications(s, today, page))
    return web.json_response(page_json(result))


@routes.get(PREFIX + "/audit")
@admin_api()
async def audit_log(request: web.Request, actor: Actor) -> web.StreamResponse:
    page = _int(request, "page", 1, 100_000)
    filters = audit.AuditFilter(record_id=request.query.get("record_id") or None)
    items, total = await operations.read(
        _url(request), lambda s: audit.entries(s, filters, page))
    return web.json_response({"items": items, "total": total, "page": page,
                              "per_page": 50})


@routes.get(PREFIX + "/tokens")
@admin_api()
async def list_tokens(request: web.Request, actor: Actor) -> web.StreamResponse:
    items = await operations.read(_url(request), tokens.all_tokens)
    return web.json_response({"items": items})


def _create_token(url: str, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    scopes = data.get("scopes") or []
    service_ids = data.get("service_ids") or []
    if not isinstance(scopes, list) or not isinstance(service_ids, list):
        raise tokens.TokenError("scopes and service_ids must be lists.")
    with session_scope(url) as session:
        row, plain = tokens.create(session, str(data.get("name", "")),
                                   [str(s) for s in scopes], [str(s) for s in service_ids],
                                   actor.name)
        described = tokens.describe(row)
        audit.record(session, actor.name,
                     editing.Change("token_create", "token", str(row.id), None, described))
        return {**described, "token": plain}


@routes.post(PREFIX + "/tokens")
@admin_api()
async def create_token(request: web.Request, actor: Actor) -> web.StreamResponse:
    data = await body_json(request)
    created = await asyncio.to_thread(_create_token, _url(request), actor, data)
    return web.json_response(created, status=201)


def _revoke_token(url: str, actor: Actor, token_id: int) -> dict[str, Any] | None:
    with session_scope(url) as session:
        described = tokens.revoke(session, token_id)
        if described is not None:
            audit.record(session, actor.name,
                         editing.Change("token_revoke", "token", str(token_id), None, described))
        return described


@routes.delete(PREFIX + "/tokens/{token_id}")
@admin_api()
async def revoke_token(request: web.Request, actor: Actor) -> web.StreamResponse:
    raw = request.match_info["token_id"]
    described = (
        await asyncio.to_thread(_revoke_token, _url(request), actor, int(raw))
        if raw.isdigit() and len(raw) < 10 else None
    )
    if described is None:
        return error(404, "not_found", "There is no token with that id.")
    return web.json_response(described)


def write_export(url: str, folder: Path) -> Path:
    """The whole directory as an HSDS tabular data package (zip) in `folder`."""
    out = folder / "recovery-navigator-hsds.zip"
    with session_scope(url) as session:
        export_hsds(session, out)
    return out


async def hsds_zip(request: web.Request) -> web.StreamResponse:
    with tempfile.TemporaryDirectory() as folder:
        path = await asyncio.to_thread(write_export, _url(request), Path(folder))
        data = await asyncio.to_thread(path.read_bytes)
    return web.Response(
        body=data, content_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="recovery-navigator-hsds.zip"'},
    )


@routes.get(PREFIX + "/export/hsds")
@admin_api()
async def export(request: web.Request, actor: Actor) -> web.StreamResponse:
    return await hsds_zip(request)


#: same limit as the import page: a whole source file
UPLOAD_MAX_BYTES = 64 * 1024 * 1024


def _session_token(actor: Actor) -> str | None:
    return actor.admin.session_token if actor.admin is not None else None


@routes.post(PREFIX + "/imports")
@admin_api()
async def upload_import(request: web.Request, actor: Actor) -> web.StreamResponse:
    """The file is the raw request body; `format` (and optionally `filename`) in the query.
    Answers with the preview (nothing written yet) and the id to commit or cancel."""
    token = _session_token(actor)
    fmt = request.query.get("format", "")
    if token is None:
        return error(403, "forbidden", "Imports need an admin's session.")
    if fmt not in imports.format_names():
        return error(400, "invalid", "Give the file's format: " + ", ".join(
            imports.format_names()), field="format")
    try:
        data = await request.clone(client_max_size=UPLOAD_MAX_BYTES).read()
    except web.HTTPRequestEntityTooLarge:
        return error(413, "too_large", "The file is larger than 64 MiB.", field="file")
    if not data:
        return error(400, "invalid", "Send the file as the request body.", field="file")
    filename = request.query.get("filename", "upload")
    pending = await asyncio.to_thread(imports.store, _url(request), token, fmt, filename, data)
    summary = await asyncio.to_thread(imports.preview, _url(request), pending)
    return web.json_response({"id": pending.id, "format": fmt, "filename": pending.filename,
                              "preview": summary}, status=201)


@routes.post(PREFIX + "/imports/{import_id}/commit")
@admin_api()
async def commit_import(request: web.Request, actor: Actor) -> web.StreamResponse:
    token = _session_token(actor)
    done = None if token is None else await asyncio.to_thread(
        imports.commit, _url(request), request.match_info["import_id"], token, actor.name)
    if done is None:
        return error(404, "not_found", "There is no pending upload with that id.")
    pending, summary = done
    return web.json_response({"id": pending.id, "committed": summary})


@routes.delete(PREFIX + "/imports/{import_id}")
@admin_api()
async def cancel_import(request: web.Request, actor: Actor) -> web.StreamResponse:
    token = _session_token(actor)
    if token is None or not await asyncio.to_thread(
            imports.cancel, _url(request), request.match_info["import_id"], token):
        return error(404, "not_found", "There is no pending upload with that id.")
    return web.Response(status=204)
