"""The chat relay: a person's messages go to Rasa or to their peer; replies come back in order.

Every message is stored with a per-conversation sequence number before it is sent, so a widget
that reconnects asks for "everything after seq N" and nothing is lost or shown twice.

The relay is split along its seams: `web.relay_person` (the person's side, crisis first in
every state), `web.relay_handoff` (the answer to a handoff: the web app decides whether a peer
is available), `web.relay_peer` (the console's side), `web.relay_base` (what all share),
`web.frames` (frames and payload cleaning) and `web.frame_reader` (reading frames within
bounds). The routes import the frame helpers they use from here.
"""

from __future__ import annotations

from web.frame_reader import parse_frame
from web.frames import clean_cards, error_frame, unavailable_frame, without_nul
from web.relay_peer import PeerSide
from web.relay_person import PersonSide

__all__ = [
    "ChatRelay", "clean_cards", "error_frame", "parse_frame", "unavailable_frame", "without_nul",
]


class ChatRelay(PersonSide, PeerSide):
    """Routes messages between the person's widget, Rasa and the peer console."""
