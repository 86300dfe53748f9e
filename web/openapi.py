"""The OpenAPI 3 document of the public search API (contract §3) and the admin API."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from resources_db.models import STATUSES
from resources_db.vocabulary import NEEDS, PAYMENT_VALUES, POPULATIONS
from web.admin.imports import format_names

routes = web.RouteTableDef()
NULLABLE_STRING = {"type": ["string", "null"]}


def _error() -> dict[str, Any]:
    return {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "field": NULLABLE_STRING,
                       "candidates": {"type": "array", "items": {"type": "string"}},
                       "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                       "current_version": {"type": ["integer", "null"]}}}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


ERR = _ref("Error")
ADMIN_ERRORS = {
    "400": _json(ERR, "Invalid input; `fields` names each bad field"),
    "401": _json(ERR, "Not signed in and no valid token"),
    "403": _json(ERR, "Not an admin, missing CSRF header, or the token may not do this"),
}
SERVICE = "/api/v1/admin/services/{service_id}"
IMPORT_PARAM = {"name": "import_id", "in": "path", "required": True,
                "schema": {"type": "string"}}
ID_PARAM = {"name": "service_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _card() -> dict[str, Any]:
    strings = ["id", "name"]
    nullable = ["organization", "address", "city", "state", "zip", "phone", "website", "hours",
                "last_verified"]
    props: dict[str, Any] = {k: {"type": "string"} for k in strings + ["source"]}
    props.update(dict.fromkeys(nullable, NULLABLE_STRING))
    props.update({k: {"type": ["number", "null"]} for k in ("lat", "lon", "distance_miles")})
    props.update({k: {"type": "array", "items": {"type": "string"}}
                  for k in ("categories", "insurance", "populations", "languages", "offers")})
    props["open_now"] = {"type": ["boolean", "null"]}
    props["peer_run"] = {"type": "boolean"}
    props["cost"] = NULLABLE_STRING
    # mutual-aid meetings only (docs/directory.md, "Meeting searches"); null on other cards
    props["meeting"] = {"type": ["object", "null"]}
    props["capacity"] = {"oneOf": [{"type": "null"}, {
        "type": "object", "required": ["available", "total", "unit", "updated_at"],
        "properties": {"available": {"type": "integer"}, "total": {"type": ["integer", "null"]},
                       "unit": {"type": "string"}, "updated_at": {"type": "string"}}}]}
    return {"type": "object", "required": sorted(props), "properties": props}


def _service_input(required: list[str]) -> dict[str, Any]:
    text = {"type": ["string", "null"]}
    props: dict[str, Any] = dict.fromkeys((
        "name", "organization", "description", "website", "phone", "phone_extension",
        "address_1", "address_2", "city", "state", "postal_code"), text)
    props.update({k: {"type": ["number", "string", "null"]} for k in ("latitude", "longitude")})
    # local supports (docs/admin.md); left out: kept as they are
    props.update(dict.fromkeys(("service_area", "fees_description", "eligibility_description",
                                "application_process"), text))
    props.update({k: {"type": ["integer", "string", "null"]}
                  for k in ("minimum_age", "maximum_age")})
    props.update({k: {"type": ["boolean", "string", "null"]}
                  for k in ("peer_run", "no_fixed_address")})
    props["needs"] = {"type": "array", "items": {"type": "string", "enum": list(NEEDS)}}
    props["insurance"] = {"type": "array", "items": {"type": "string",
                                                     "enum": list(PAYMENT_VALUES)}}
    props["populations"] = {"type": "array", "items": {"type": "string",
                                                       "enum": list(POPULATIONS)}}
    props["version"] = {"type": "integer"}
    return {"type": "object", "required": required, "properties": props}


def _service() -> dict[str, Any]:
    schema = _service_input(["id", "version", "status", "name", "needs", "capacity"])
    props = schema["properties"]
    props.update({"id": {"type": "string"}, "status": {"type": "string", "enum": list(STATUSES)},
                  "scope": {"type": "string"}, "source": {"type": "string"},
                  "location_id": NULLABLE_STRING, "last_verified": NULLABLE_STRING,
                  "latitude": {"type": ["number", "null"]},
                  "longitude": {"type": ["number", "null"]},
                  "capacity": {"type": "array", "items": _ref("Capacity")}})
    return schema


def _page(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": ["items", "total", "page", "per_page"],
            "properties": {"items": {"type": "array", "items": item},
                           "total": {"type": "integer"}, "page": {"type": "integer"},
                           "per_page": {"type": "integer"}}}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _admin(op: dict[str, Any], *, token: bool = False) -> dict[str, Any]:
    security: list[dict[str, list[str]]] = [{"session": [], "csrf": []}]
    if token:
        security.append({"integrationToken": []})
    op["security"] = security
    op["responses"] = {**op["responses"], **ADMIN_ERRORS}
    return op


def _versioned(status_code: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {status_code: _json(schema, "The record after the change"),
            "404": _json(ERR, "No such service"),
            "409": _json(ERR, "Stale version: someone changed the record first")}


def document() -> dict[str, Any]:
    search_params = [
        _query("need", {"type": "string"}, "need key(s), comma separated: " + ", ".join(NEEDS)),
        _query("near", {"type": "string"}, "ZIP, City ST, or city name"),
        _query("lat", {"type": "number"}), _query("lon", {"type": "number"}),
        _query("radius_miles", {"type": "number"}), _query("insurance", {"type": "string"}),
        _query("population", {"type": "string"}), _query("language", {"type": "string"}),
        _query("open_now", {"type": "string"}), _query("limit", {"type": "integer"}),
        _query("offset", {"type": "integer"}),
        _query("when", {"type": "string"}, "meetings: now, today, tonight, tomorrow or a "
               "weekday, optionally _morning/_afternoon/_evening/_night"),
        _query("online", {"type": "string"}, "meetings: true for online meetings only"),
        _query("meeting_type", {"type": "string"}, "meetings: type codes, comma separated"),
        _query("fellowship", {"type": "string"}, "meetings: AA or NA"),
        _query("prefer_language", {"type": "string"}, "services speaking this language "
               "(two letters, e.g. es) first, the others after them; nothing is left out"),
        _query("card_language", {"type": "string", "enum": ["en", "es"]},
               "the language of the words the directory writes on cards (hours, offers, "
               "meeting times)"),
    ]
    service = _ref("Service")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Recovery Navigator API", "version": "1",
                 "description": "Directory search (public) and directory administration."},
        "paths": {
            "/api/v1/search": {"get": {
                "summary": "Find recovery resources near a place (contract §3)",
                "parameters": search_params,
                "responses": {"200": _json(_ref("SearchResult"), "Resources, nearest first"),
                              "400": _json(ERR, "Bad input; never a 500"),
                              "429": _json(ERR, "Too many searches from this address"),
                              "503": _json(ERR, "The directory is not answering")}}},
            "/api/v1/conversations/{conversation_id}": {"parameters": [
                {"name": "conversation_id", "in": "path", "required": True,
                 "schema": {"type": "string"}}],
                "delete": {
                    "summary": "Erase a conversation now (the widget's own control; same "
                               "Origin only; 204 whether or not anything was stored)",
                    "responses": {"204": {"description": "Erased"},
                                  "400": _json(ERR, "Not a conversation id"),
                                  "403": _json(ERR, "Not from this site's own page"),
                                  "429": _json(ERR, "Too many erasures from this address"),
                                  "503": _json(ERR, "Could not erase now; nothing was lost")}}},
            "/api/v1/admin/services": {
                "get": _admin({"summary": "List services", "parameters": [
                    _query("q", {"type": "string"}),
                    _query("need", {"type": "string", "enum": list(NEEDS)}),
                    _query("status", {"type": "string", "enum": list(STATUSES)}),
                    _query("state", {"type": "string"}),
                    _query("page", {"type": "integer", "minimum": 1}),
                    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100})],
                    "responses": {"200": _json(_page(_ref("ServiceRow")), "One page")}}),
                "post": _admin({"summary": "Create a service (geocoded unless lat/lon given)",
                                "requestBody": _body(_service_input(["name"])),
                                "responses": {"201": _json(service, "Created")}}),
            },
            "/api/v1/admin/services/{service_id}": {
                "parameters": [ID_PARAM],
                "get": _admin({"summary": "One service", "responses": {
                    "200": _json(service, "The service"), "404": _json(ERR, "No such service")}}),
                "put": _admin({"summary": "Edit a service (send the version you loaded)",
                               "requestBody": _body(_service_input(["version", "name"])),
                               "responses": _versioned("200", service)}),
            },
            f"{SERVICE}/status": {"parameters": [ID_PARAM], "post": _admin({
                "summary": "Deactivate or reactivate (never deleted)",
                "requestBody": _body({"type": "object", "required": ["status", "version"],
                                      "properties": {"status": {"type": "string",
                                                                 "enum": list(STATUSES)},
                                                     "version": {"type": "integer"}}}),
                "responses": _versioned("200", service)})},
            f"{SERVICE}/verify": {"parameters": [ID_PARAM], "post": _admin({
                "summary": "Mark verified today",
                "requestBody": _body({"type": "object", "required": ["version"],
                                      "properties": {"version": {"type": "integer"}}}),
                "responses": _versioned("200", service)})},
            f"{SERVICE}/capacity": {"parameters": [ID_PARAM], "put": _admin({
                "summary": "Report open beds or slots (admins, or a token scoped to the service)",
                "requestBody": _body({"type": "object", "required": ["available"], "properties": {
                    "available": {"type": ["integer", "string"]},
                    "total": {"type": ["integer", "string", "null"]},
                    "unit": {"type": "string", "enum": ["beds", "slots", "spots"]},
                    "version": {"type": ["integer", "null"]}}}),
                "responses": _versioned("200", _ref("Capacity"))}, token=True)},
            "/api/v1/admin/stale": {"get": _admin({
                "summary": "Active services not verified in 180 days",
                "parameters": [_query("page", {"type": "integer", "minimum": 1})],
                "responses": {"200": _json(_page({"type": "object"}), "One page")}})},
            "/api/v1/admin/audit": {"get": _admin({
                "summary": "The audit log, newest first",
                "parameters": [_query("page", {"type": "integer", "minimum": 1}),
                               _query("record_id", {"type": "string"})],
                "responses": {"200": _json(_page(_ref("AuditEntry")), "One page")}})},
            "/api/v1/admin/tokens": {
                "get": _admin({"summary": "Integration tokens (never the secret)", "responses": {
                    "200": _json({"type": "object", "properties": {"items": {
                        "type": "array", "items": _ref("Token")}}}, "Tokens")}}),
                "post": _admin({"summary": "Create a token; the secret is in the answer once",
                                "requestBody": _body({"type": "object",
                                                      "required": ["name", "scopes",
                                                                   "service_ids"],
                                                      "properties": {
                                                          "name": {"type": "string"},
                                                          "scopes": {"type": "array",
                                                                     "items": {"type": "string"}},
                                                          "service_ids": {
                                                              "type": "array",
                                                              "items": {"type": "string"}}}}),
                                "responses": {"201": _json(_ref("Token"), "Created")}}),
            },
            "/api/v1/admin/tokens/{token_id}": {"parameters": [
                {"name": "token_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "delete": _admin({"summary": "Revoke a token", "responses": {
                    "200": _json(_ref("Token"), "Revoked"), "404": _json(ERR, "No such token")}})},
            "/api/v1/admin/imports": {"post": _admin({
                "summary": "Upload a file to import (the raw body); answers with a preview "
                           "(nothing written) and the id to commit or cancel",
                "parameters": [
                    _query("format", {"type": "string", "enum": format_names()}),
                    _query("filename", {"type": "string"})],
                "requestBody": {"required": True, "content": {
                    "application/octet-stream": {"schema": {"type": "string",
                                                            "format": "binary"}}}},
                "responses": {"201": _json({"type": "object"}, "Preview and id"),
                              "413": _json(ERR, "Larger than 64 MiB")}})},
            "/api/v1/admin/imports/{import_id}/commit": {"parameters": [IMPORT_PARAM],
                "post": _admin({"summary": "Import the previewed upload for real", "responses": {
                    "200": _json({"type": "object"}, "What was imported"),
                    "404": _json(ERR, "No such pending upload")}})},
            "/api/v1/admin/imports/{import_id}": {"parameters": [IMPORT_PARAM],
                "delete": _admin({"summary": "Cancel a previewed upload", "responses": {
                    "204": {"description": "Cancelled"},
                    "404": _json(ERR, "No such pending upload")}})},
            "/api/v1/admin/export/hsds": {"get": _admin({
                "summary": "The whole directory as an Open Referral HSDS data package (zip)",
                "responses": {"200": {"description": "zip",
                                      "content": {"application/zip": {}}}}})},
        },
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "rn_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
                "integrationToken": {"type": "http", "scheme": "bearer"},
            },
            "schemas": {
                "Error": _error(),
                "Card": _card(),
                "SearchResult": {"type": "object",
                                 "required": ["query", "total", "relaxed", "resources"],
                                 "properties": {"query": {"type": "object"},
                                                "total": {"type": "integer"},
                                                "relaxed": {"type": "boolean"},
                                                "resources": {"type": "array",
                                                              "items": _ref("Card")}}},
                "Capacity": {"type": "object",
                             "required": ["unit", "available", "total", "updated_at"],
                             "properties": {"id": {"type": "string"}, "unit": {"type": "string"},
                                            "available": {"type": "integer"},
                                            "total": {"type": ["integer", "null"]},
                                            "updated_at": {"type": "string"},
                                            "updated_by": NULLABLE_STRING,
                                            "version": {"type": "integer"}}},
                "Service": _service(),
                "ServiceRow": {"type": "object", "required": ["id", "name", "status", "version"],
                               "properties": {"id": {"type": "string"},
                                              "name": {"type": "string"},
                                              "status": {"type": "string"},
                                              "version": {"type": "integer"},
                                              "organization": NULLABLE_STRING,
                                              "city": NULLABLE_STRING, "state": NULLABLE_STRING,
                                              "postal_code": NULLABLE_STRING}},
                "AuditEntry": {"type": "object",
                               "required": ["at", "actor", "action", "record_type", "record_id"],
                               "properties": {"id": {"type": "integer"},
                                              "at": {"type": "string"},
                                              "actor": {"type": "string"},
                                              "action": {"type": "string"},
                                              "record_type": {"type": "string"},
                                              "record_id": {"type": "string"},
                                              "before": {"type": ["object", "null"]},
                                              "after": {"type": ["object", "null"]}}},
                "Token": {"type": "object", "required": ["id", "name", "scopes", "service_ids"],
                          "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                         "scopes": {"type": "array", "items": {"type": "string"}},
                                         "service_ids": {"type": "array",
                                                         "items": {"type": "string"}},
                                         "created_by": {"type": "string"},
                                         "created_at": NULLABLE_STRING,
                                         "revoked_at": NULLABLE_STRING,
                                         "last_used_at": NULLABLE_STRING,
                                         "token": {"type": "string"}}},
            },
        },
    }


@routes.get("/api/v1/openapi.json", name="openapi")
async def openapi_json(request: web.Request) -> web.Response:
    return web.json_response(document())
