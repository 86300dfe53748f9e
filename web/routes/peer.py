"""The peer console: page, live WebSocket (/peer/ws), the quick lookup parser and the
languages the peer chats in."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import aiohttp_jinja2
from aiohttp import WSMsgType, web

from resources_db.editing import Change
from resources_db.understand.vocabulary import need_labels
from web import appkeys, audit, logs
from web.accounts import AccountError, SignedIn, languages_of, lookup_session, set_languages
from web.consoles import SIGNED_OUT
from web.db import session_scope
from web.quick_parse import quick_params
from web.relay import clean_cards, error_frame, parse_frame
from web.routes.auth import require_peer
from web.security import same_origin, tokens_match
from web.socket_guard import handle_safely

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
MAX_FRAME_BYTES = 128 * 1024  # resource cards chosen from the lookup panel
CONSOLE_ROLES = ("peer", "admin")
#: states of a conversation that was handed to peers (an admin may read those, audited)
HANDED_OFF = ("waiting", "with_peer", "closed")
NOT_YOURS = "This conversation is not with you. Claim it from the queue to read it."


@routes.get("/peer", name="peer_console")
@require_peer
async def console(request: web.Request, signed_in: SignedIn) -> web.StreamResponse:
    return aiohttp_jinja2.render_template(
        "peer/console.html",
        request,
        {"peer": signed_in, "csrf_token": signed_in.csrf_token,
         "need_options": list(need_labels().items())},
    )


@routes.get("/peer/api/parse", name="peer_parse")
@require_peer
async def parse_quick(request: web.Request, signed_in: SignedIn) -> web.StreamResponse:
    text = request.query.get("q", "")
    if not text.strip():
        return web.json_response(
            {"error": {"code": "empty", "message": "Type what to look for.", "field": "q"}},
            status=400,
        )
    params, source = await quick_params(text, request.app[appkeys.RASA])
    return web.json_response({"params": params, "source": source})


@routes.post("/peer/api/languages", name="peer_languages")
@require_peer
async def my_languages(request: web.Request, signed_in: SignedIn) -> web.StreamResponse:
    """The peer says which languages besides English they chat in (form fields `languages`,
    none for English only), with the session's CSRF token."""
    form = await request.post()
    if not tokens_match(signed_in.csrf_token, str(form.get("csrf_token", ""))):
        raise web.HTTPForbidden()
    wanted = [str(value) for value in form.getall("languages", [])][:8]
    try:
        spoken = await languages_changed(
            request.app, signed_in.user_id, wanted, f"user:{signed_in.username}"
        )
    except AccountError as exc:
        return web.json_response(
            {"error": {"code": "bad_language", "message": str(exc), "field": "languages"}},
            status=400,
        )
    return web.json_response({"languages": list(spoken or ())})


async def languages_changed(
    app: web.Application, user_id: int, languages: Iterable[str], actor: str
) -> tuple[str, ...] | None:
    """Store and audit what an account speaks, then let the consoles follow: the account's
    own (on every instance) and everyone's queue, since a peer who speaks Spanish may have
    come or gone. None: no such account."""
    url = app[appkeys.CONFIG].database_url
    user = await asyncio.to_thread(set_languages, url, user_id, languages)
    if user is None:
        return None
    spoken = languages_of(user)
    change = Change("account_languages", "account", str(user_id), None,
                    {"username": user.username, "languages": list(spoken)})
    await asyncio.to_thread(_audit, url, actor, change)
    await app[appkeys.HUB].to_peer(user_id, {"type": "languages", "languages": list(spoken)})
    await app[appkeys.RELAY].broadcast_queue()
    return spoken


def _audit(url: str, actor: str, change: Change) -> None:
    with session_scope(url) as session:
        audit.record(session, actor, change)


@routes.get("/peer/ws", name="peer_ws")
@require_peer
async def peer_socket(request: web.Request, signed_in: SignedIn) -> web.StreamResponse:
    if not same_origin(request):
        raise web.HTTPForbidden()
    ws = web.WebSocketResponse(heartbeat=25.0, max_msg_size=MAX_FRAME_BYTES)
    await ws.prepare(request)
    console = PeerConsoleSocket(request.app, ws, signed_in)
    await console.start()
    try:
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                await handle_safely(ws, console.handle, msg.data, "peer console")
    finally:
        await console.stop()
    return ws


class PeerConsoleSocket:
    """One open console: presence, queue, claims, messages, cards, return to bot, close."""

    def __init__(self, app: web.Application, ws: web.WebSocketResponse, peer: SignedIn) -> None:
        self.app = app
        self.ws = ws
        self.peer = peer
        self.relay = app[appkeys.RELAY]
        self.handoff = app[appkeys.HANDOFF]
        self.hub = app[appkeys.HUB]

    async def send(self, frame: dict[str, Any]) -> None:
        if not self.ws.closed:
            await self.ws.send_json(frame)

    async def start(self) -> None:
        self.app[appkeys.CONSOLES].add(self.peer.user_id, self.peer.session_token, self.ws)
        self.hub.add_peer(self.peer.user_id, self.ws, self.peer.languages)
        # An admin looking in is not a peer on duty unless they choose to be.
        status = "online" if self.peer.role == "peer" else "away"
        await self.relay.db(self.handoff.set_presence, self.peer.as_user(), status)
        await self.send(
            {
                "type": "hello",
                "name": self.peer.display_name,
                "status": status,
                "role": self.peer.role,
                "languages": list(self.peer.languages),
            }
        )
        entries = await self.relay.db(self.handoff.waiting)
        await self.hub.queue_to_peer(self.peer.user_id, await self.relay.queue_frame(entries))
        if self.peer.languages and status == "online":
            await self.relay.broadcast_queue()  # others may now see Spanish speakers later
        for conversation_id in await self.relay.db(self.handoff.assigned, self.peer.user_id):
            await self.send(await self.relay.transcript(conversation_id))

    async def still_signed_in(self) -> bool:
        """Re-read the session and role: a sign-out elsewhere, an expired session, a disabled
        account or a role taken away ends the console's live connection."""
        url = self.app[appkeys.CONFIG].database_url
        current = await asyncio.to_thread(lookup_session, url, self.peer.session_token)
        if current is None or current.role not in CONSOLE_ROLES:
            return False
        self.peer = current
        self.hub.set_languages(current.user_id, current.languages)  # had a frame been lost
        return True

    async def stop(self) -> None:
        self.app[appkeys.CONSOLES].remove(self.peer.user_id, self.peer.session_token, self.ws)
        # Synchronous on purpose (the one database call on the event loop here): a cancelled
        # handler must still mark the peer away.
        if self.hub.remove_peer(self.peer.user_id, self.ws):
            self.handoff.set_presence(self.peer.as_user(), "away")
            await self._availability_changed()

    async def _availability_changed(self) -> None:
        """A peer who speaks Spanish came or went: the others' queues follow at once."""
        if not self.peer.languages:
            return
        try:
            await self.relay.broadcast_queue()
        except Exception:  # the grace period ends the offer anyway
            log.exception("could not send the queue after a presence change")

    async def handle(self, raw: str) -> None:
        """One frame; nothing is done for a session that is no longer valid."""
        if not await self.still_signed_in():
            await self.ws.close(code=SIGNED_OUT, message=b"signed out")
            return
        frame = parse_frame(raw)
        if frame is None:
            await self.send(error_frame("bad_frame", "That could not be read."))
            return
        kind = frame.get("type")
        conversation_id = frame.get("conversation_id")
        if kind == "heartbeat":
            await self.relay.db(self.handoff.heartbeat, self.peer.user_id)
            return
        if kind == "presence":
            status = frame.get("status")
            if status in ("online", "away"):
                await self.relay.db(self.handoff.set_presence, self.peer.as_user(), str(status))
                await self.send({"type": "presence", "status": status})
                await self._availability_changed()
            return
        if not isinstance(conversation_id, str) or not conversation_id:
            await self.send(error_frame("bad_frame", "Which conversation?"))
            return
        with logs.conversation_scope(conversation_id):
            error = await self.act(str(kind), conversation_id, frame)
        if error is not None:
            await self.send({**error, "conversation_id": conversation_id})

    async def act(
        self, kind: str, conversation_id: str, frame: dict[str, Any]
    ) -> dict[str, Any] | None:
        if kind == "claim":
            if await self.relay.claim(conversation_id, self.peer):
                return None
            return error_frame("claim_failed", "Another peer already joined this chat.")
        if kind == "send":
            text = frame.get("text") if isinstance(frame.get("text"), str) else None
            cards = clean_cards(frame.get("cards"))
            return await self.relay.peer_send(conversation_id, self.peer, text, cards)
        if kind == "return_to_bot":
            return await self.relay.return_to_bot(conversation_id, self.peer)
        if kind == "close":
            return await self.relay.peer_close(conversation_id, self.peer)
        if kind == "open":
            return await self.open(conversation_id)
        return error_frame("bad_frame", "Unknown action.")

    async def open(self, conversation_id: str) -> dict[str, Any] | None:
        """The transcript for the peer who claimed the conversation; for an admin, any
        handed-off conversation's, recorded in the audit log. Nobody else: waiting people are
        seen through the queue's summary, and a conversation never handed off stays private."""
        conversation = await self.relay.db(self.app[appkeys.STORE].get, conversation_id)
        state = conversation.state if conversation is not None else None
        mine = (
            state == "with_peer"
            and conversation is not None
            and (conversation.peer_user_id == self.peer.user_id)
        )
        if not mine:
            if self.peer.role != "admin" or state not in HANDED_OFF:
                return error_frame("not_yours", NOT_YOURS)
            await asyncio.to_thread(self._audit_read, conversation_id)
        await self.send(await self.relay.transcript(conversation_id))
        return None

    def _audit_read(self, conversation_id: str) -> None:
        change = Change("transcript_read", "conversation", conversation_id, None, None)
        _audit(self.app[appkeys.CONFIG].database_url, f"user:{self.peer.username}", change)
