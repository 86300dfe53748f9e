"""The chat relay: a person's messages go to Rasa or to their peer; replies come back in order.

Every message is stored with a per-conversation sequence number before it is sent, so a widget
that reconnects asks for "everything after seq N" and nothing is lost or shown twice.

The relay is split along its seams: `web.relay_person` (the person's side, crisis first in
every state), `web.relay_peer` (the console's side), `web.relay_base` (what both share),
`web.frames` (frames and payload cleaning) and `web.frame_reader` (reading frames within
bounds). The names below stay importable from here.
"""

from __future__ import annotations

from web.frame_reader import parse_frame
from web.frames import (
    BACK_TO_BOT_BUTTON,
    CARD_FIELDS,
    PEER_BUTTON,
    REQUEST_PEER,
    SHARE_LOCATION,
    STOP_WAITING,
    WAIT_BUTTON,
    WAIT_FOR_PEER,
    clean_buttons,
    clean_cards,
    error_frame,
    unavailable_frame,
    without_nul,
)
from web.relay_peer import PeerSide
from web.relay_person import PersonSide

__all__ = [
    "BACK_TO_BOT_BUTTON", "CARD_FIELDS", "PEER_BUTTON", "REQUEST_PEER", "SHARE_LOCATION",
    "STOP_WAITING", "WAIT_BUTTON", "WAIT_FOR_PEER", "ChatRelay", "clean_buttons", "clean_cards",
    "error_frame", "parse_frame", "unavailable_frame", "without_nul",
]


class ChatRelay(PersonSide, PeerSide):
    """Routes messages between the person's widget, Rasa and the peer console."""
