"""The peer console: page, live WebSocket (/peer/ws) and the quick lookup parser."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import WSMsgType, web

from web import appkeys
from web.accounts import SignedIn, lookup_session
from web.quick_parse import quick_params
from web.relay import clean_cards, error_frame, parse_frame
from web.routes.auth import require_peer
from web.security import same_origin

routes = web.RouteTableDef()
MAX_FRAME_BYTES = 128 * 1024  # resource cards chosen from the lookup panel


@routes.get("/peer", name="peer_console")
@require_peer
async def console(request: web.Request, signed_in: SignedIn) -> web.StreamResponse:
    return aiohttp_jinja2.render_template(
        "peer/console.html",
        request,
        {"peer": signed_in, "csrf_token": signed_in.csrf_token},
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
                await console.handle(msg.data)
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
        self.hub.add_peer(self.peer.user_id, self.ws)
        # An admin looking in is not a peer on duty unless they choose to be.
        status = "online" if self.peer.role == "peer" else "away"
        self.handoff.set_presence(self.peer.as_user(), status)
        await self.send({"type": "hello", "name": self.peer.display_name, "status": status,
                         "role": self.peer.role})
        await self.send(
            {"type": "queue", "items": [e.frame() for e in self.handoff.waiting()]}
        )
        for conversation_id in self.handoff.assigned(self.peer.user_id):
            await self.send(self.relay.transcript(conversation_id))

    def still_signed_in(self) -> bool:
        """A sign-out elsewhere (or an expired session) ends the console's live connection."""
        url = self.app[appkeys.CONFIG].database_url
        return lookup_session(url, self.peer.session_token) is not None

    async def stop(self) -> None:
        # Synchronous on purpose: a cancelled handler must still mark the peer away.
        if self.hub.remove_peer(self.peer.user_id, self.ws):
            self.handoff.set_presence(self.peer.as_user(), "away")

    async def handle(self, raw: str) -> None:
        frame = parse_frame(raw)
        if frame is None:
            await self.send(error_frame("bad_frame", "That could not be read."))
            return
        kind = frame.get("type")
        conversation_id = frame.get("conversation_id")
        if kind == "heartbeat":
            if not self.still_signed_in():
                await self.ws.close(code=4001, message=b"signed out")
                return
            self.handoff.heartbeat(self.peer.user_id)
            return
        if kind == "presence":
            status = frame.get("status")
            if status in ("online", "away"):
                self.handoff.set_presence(self.peer.as_user(), str(status))
                await self.send({"type": "presence", "status": status})
            return
        if not isinstance(conversation_id, str) or not conversation_id:
            await self.send(error_frame("bad_frame", "Which conversation?"))
            return
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
            await self.send(self.relay.transcript(conversation_id))
            return None
        return error_frame("bad_frame", "Unknown action.")
