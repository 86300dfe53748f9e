"""Typed keys for the objects the app shares between its route modules."""

from __future__ import annotations

import asyncio

from aiohttp import web

from web.config import WebConfig
from web.consoles import ConsoleRegistry
from web.handoff import Handoff
from web.peer_hub import PeerHub
from web.rasa_client import RasaClient
from web.ratelimit import RateLimits
from web.relay import ChatRelay
from web.store import ConversationStore

CONFIG = web.AppKey("config", WebConfig)
STORE = web.AppKey("store", ConversationStore)
HANDOFF = web.AppKey("handoff", Handoff)
HUB = web.AppKey("hub", PeerHub)
RASA = web.AppKey("rasa", RasaClient)
LIMITS = web.AppKey("limits", RateLimits)
RELAY = web.AppKey("relay", ChatRelay)
CONSOLES = web.AppKey("consoles", ConsoleRegistry)
BACKGROUND = web.AppKey("background", asyncio.Task[None])
RETENTION = web.AppKey("retention", asyncio.Task[None])
