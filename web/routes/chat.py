"""The chat page and the person's WebSocket (/ws). People chatting get no cookies."""

from __future__ import annotations

import logging
import re
from typing import Any

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from sqlalchemy.exc import SQLAlchemyError

from web import appkeys, logs
from web.i18n import (
    LANGUAGES,
    N_,
    page_context,
    page_language,
    script_messages,
    translate,
)
from web.lines import banner_lines
from web.relay import error_frame, parse_frame, unavailable_frame
from web.security import same_origin
from web.socket_guard import handle_safely

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}\Z")  # \Z: "$" accepts a final newline
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}\Z")
MAX_FRAME_BYTES = 16 * 1024


@routes.get("/", name="chat")
@aiohttp_jinja2.template("chat.html")
async def chat_page(request: web.Request) -> dict[str, Any]:
    """The page in the browser's language (or `?lang=`); the widget carries both languages'
    messages so it can follow the conversation's language without a reload."""
    config = request.app[appkeys.CONFIG]
    page = page_context(request)
    return {
        **page,
        "banner_lines": banner_lines(),
        "exit_url": config.neutral_exit_url,
        "script_messages": script_messages(),
        "offer": language_offer("es" if page["lang"] == "en" else "en"),
    }


def language_offer(language: str) -> dict[str, str]:
    """The English / Español button, worded in the language it offers whatever the page's."""
    return {
        "language": language,
        # TRANSLATORS: the name of this language, in this language (the button offering it)
        "label": translate(language, "English"),
        "aria": translate(language, "English: continue in English"),
    }


@routes.get("/privacy", name="privacy")
@aiohttp_jinja2.template("privacy.html")
async def privacy_page(request: web.Request) -> dict[str, Any]:
    """What is kept, for how long and who can see it, in plain words (docs/privacy.md)."""
    config = request.app[appkeys.CONFIG]
    return {
        **page_context(request),
        "banner_lines": banner_lines(),
        "retention_days": config.retention_days,
    }


@routes.get("/ws", name="chat_ws")
async def chat_socket(request: web.Request) -> web.StreamResponse:
    if not same_origin(request):
        raise web.HTTPForbidden()
    ws = web.WebSocketResponse(heartbeat=25.0, max_msg_size=MAX_FRAME_BYTES)
    await ws.prepare(request)
    session = PersonSocket(request, ws)
    try:
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                # JSON log lines of this frame carry the conversation, hashed (web/logs.py)
                with logs.conversation_scope(session.conversation_id):
                    await handle_safely(ws, session.handle, msg.data, "person socket")
    finally:
        session.forget()
    return ws


class PersonSocket:
    """One open widget connection: hello (resume), messages, end, delete."""

    def __init__(self, request: web.Request, ws: web.WebSocketResponse) -> None:
        self.app = request.app
        self.ws = ws
        self.address = request.remote or "unknown"
        self.conversation_id: str | None = None
        #: the language the widget shows (its frames say), for errors before anything is read
        self.language: str | None = None

    async def send(self, frame: dict[str, Any]) -> None:
        if not self.ws.closed:
            await self.ws.send_json(frame)

    def forget(self) -> None:
        if self.conversation_id is not None:
            self.app[appkeys.HUB].remove_person(self.conversation_id, self.ws)

    def error(self, code: str, message: str, client_id: str | None = None) -> dict[str, Any]:
        """An error frame worded in the language the widget shows."""
        return error_frame(code, translate(self.language, message), client_id)

    async def handle(self, raw: str) -> None:
        frame = parse_frame(raw)
        if frame is None:
            await self.send(self.error("bad_frame", UNREADABLE))
            return
        if frame.get("language") in LANGUAGES:
            self.language = frame["language"]
        kind = frame.get("type")
        if kind == "hello":
            await self.hello(frame)
        elif kind == "ping":
            await self.send({"type": "pong"})
        elif self.conversation_id is None:
            await self.send(self.error("no_hello", RELOAD))
        elif kind == "message":
            await self.message(frame)
        elif kind == "end":
            await self.app[appkeys.RELAY].person_end(self.conversation_id)
        elif kind == "delete":
            await self.delete()
        else:
            await self.send(self.error("bad_frame", UNREADABLE))

    async def hello(self, frame: dict[str, Any]) -> None:
        conversation_id = frame.get("conversation_id")
        if not isinstance(conversation_id, str) or not CONVERSATION_ID.match(conversation_id):
            await self.send(self.error("bad_conversation", RELOAD))
            return
        last_seq = frame.get("last_seq", 0)
        if not isinstance(last_seq, int) or last_seq < 0:
            last_seq = 0
        hub = self.app[appkeys.HUB]
        if self.conversation_id is not None:
            hub.remove_person(self.conversation_id, self.ws)
        self.conversation_id = conversation_id
        logs.bind_conversation(conversation_id)
        # Register before replaying: a message stored in between arrives twice at worst,
        # and the widget ignores a seq it already has.
        hub.add_person(conversation_id, self.ws)
        relay = self.app[appkeys.RELAY]
        try:
            stored = await relay.db(self.app[appkeys.STORE].since, conversation_id, last_seq)
            state = await relay.state_frame(conversation_id)
        except SQLAlchemyError as exc:
            # Keep the socket open: the widget shows the lines, and the person's next hello
            # or message is tried again once the database is back.
            log.warning("database unavailable for a hello: %s", exc.__class__.__name__)
            await self.send(unavailable_frame(language=self.language))
            return
        for message in stored:
            await self.send(message)
        await self.send({**state, "resumed_from": last_seq})

    async def message(self, frame: dict[str, Any]) -> None:
        assert self.conversation_id is not None
        client_id = frame.get("client_id")
        text = frame.get("text")
        display = frame.get("display")
        if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
            await self.send(self.error("bad_frame", UNREADABLE))
            return
        if not isinstance(text, str):
            await self.send(self.error("bad_frame", UNREADABLE, client_id))
            return
        error = await self.app[appkeys.RELAY].person_message(
            self.conversation_id,
            text,
            client_id,
            self.address,
            display if isinstance(display, str) and display.strip() else None,
            self.language,
        )
        if error is not None:
            await self.send(error)

    async def delete(self) -> None:
        """Erase the conversation; the relay tells every open widget of it `deleted`."""
        assert self.conversation_id is not None
        if not self.app[appkeys.LIMITS].hit("delete", self.address):
            await self.send(self.error("rate_limited", DELETE_LIMITED))
        elif not await self.app[appkeys.RELAY].delete(self.conversation_id):
            await self.send(self.error("delete_failed", DELETE_FAILED))


UNREADABLE = N_("That message could not be read.")
RELOAD = N_("Please reload the page.")
DELETE_LIMITED = N_(
    "Too many deletions from here just now. Please wait a minute and try again."
)
DELETE_FAILED = N_("Sorry, I couldn't erase this conversation just now. Please try again.")


def _api_error(status: int, code: str, message: str) -> web.Response:
    return web.json_response(
        {"error": {"code": code, "message": message, "field": "conversation_id"}}, status=status
    )


@routes.delete("/api/v1/conversations/{conversation_id}", name="delete_conversation")
async def delete_conversation(request: web.Request) -> web.Response:
    """Erase a conversation (for a widget whose WebSocket is down).

    Holding the random id is the permission. The answer is 204 whether or not anything was
    stored under that id, so it cannot be used to find out which ids exist; attempts are
    limited per address.
    """
    if not same_origin(request):
        raise web.HTTPForbidden()
    conversation_id = request.match_info["conversation_id"]
    if not CONVERSATION_ID.match(conversation_id):
        return _api_error(400, "bad_conversation", "That is not a conversation id.")
    language = page_language(request)  # the widget asks with ?lang= (its language)
    if not request.app[appkeys.LIMITS].hit("delete", request.remote or "unknown"):
        return _api_error(429, "rate_limited", translate(language, DELETE_LIMITED))
    with logs.conversation_scope(conversation_id):
        if not await request.app[appkeys.RELAY].delete(conversation_id):
            return _api_error(503, "delete_failed", translate(language, DELETE_FAILED))
    return web.Response(status=204)
