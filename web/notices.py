"""What the web app itself tells a person, in the language they write in (web/i18n.py).

The assistant's words are Rasa's (bot/domain/responses.yml) and crisis replies are
web/crisis_text.py's; these are the relay's own notices: the queue, a peer joining or leaving,
the assistant being down, and errors about a message. A constant is an English message of the
catalog (`translate(language, notices.PEER_JOINED, name=…)`); the functions build the rest.
Every number comes from resources_db/seed/national_resources.json (`web.lines`).
"""

from __future__ import annotations

from typing import Any

from web.i18n import N_, number, translate
from web.lines import describe

EMPTY = N_("Type a message first.")
TOO_FAST = N_(
    "You're sending messages faster than I can keep up. Please wait a moment and try again."
)
#: the person chose to wait although nobody is online
WAITING_ANYWAY = N_(
    "OK. You're in line, and a peer recovery specialist will see your request as soon as one "
    "comes online. You can leave this page open."
)
BACK_WITH_ASSISTANT = N_(
    "OK, you're back with the automated assistant. You can ask for a peer again anytime."
)
#: a peer is available: the person is in line (the words the assistant said before the web
#: app decided the handoff; web/relay_handoff.py)
QUEUED = N_(
    "I'm connecting you with a peer recovery specialist: a person with lived experience of "
    "recovery. They will see what we talked about, so you won't have to repeat yourself. "
    "Please stay on this page."
)
#: a person asked for a peer and nobody is available: whom to reach now (`with_lines`)
UNAVAILABLE = N_(
    "I'm sorry, no peer recovery specialist is online right now. You can reach a person at "
    "any hour here: %(lines)s."
)
#: after UNAVAILABLE: the assistant keeps answering
KEEP_HELPING = N_("I can keep helping you look for services in the meantime.")
#: after the web app said nobody is online
MAY_WAIT = N_(
    "If you'd like, you can also wait here and a peer will join when one comes online."
)
#: the assistant is down and a peer is online: the web app queued the person itself
PEER_ASKED = N_(
    "I've asked for a peer recovery specialist. They'll join this chat as soon as one is free."
)
#: a peer claimed the conversation (`name`: the peer's display name)
PEER_JOINED = N_("%(name)s, a peer recovery specialist, joined the chat.")
#: the peer handed the chat back to the assistant
PEER_RETURNED = N_(
    "%(name)s handed the chat back to the automated assistant. You can keep asking for help "
    "here, or ask for a peer again anytime."
)
PEER_CLOSED = N_(
    "%(name)s closed the peer chat. The automated assistant is still here, and you can ask "
    "for a peer again anytime."
)
STOPPED_WAITING = N_(
    "You stopped waiting for a peer. The automated assistant is still here if you need "
    "anything, and you can ask for a peer again anytime."
)


#: in line and nobody is online (`nobody_free`)
NOBODY_ONLINE = N_(
    "No peer recovery specialist is online right now. You can keep waiting here and one will "
    "see your request, or reach someone now: %(lines)s."
)
#: in line and nobody claimed the wait in time (`nobody_free`)
NOBODY_JOINED = N_(
    "No peer has been able to join yet. You can keep waiting here and one will see your "
    "request, or reach someone now: %(lines)s."
)
#: the assistant could not answer (`with_lines`)
ASSISTANT_DOWN = N_(
    "Sorry, the assistant can't answer right now. You don't have to wait for it: %(lines)s. "
    "You can also talk to a peer."
)


def too_long(language: str | None, limit: int) -> str:
    return translate(
        language,
        "That message is too long. Please keep it under %(limit)s characters.",
        limit=number(language, limit),
    )


def nobody_free(language: str | None, lines: list[dict[str, Any]], *, overdue: bool) -> str:
    """In line and nobody is online (or, `overdue`, nobody claimed the wait in time)."""
    return with_lines(language, NOBODY_JOINED if overdue else NOBODY_ONLINE, lines)


def with_lines(language: str | None, message: str, lines: list[dict[str, Any]]) -> str:
    """A catalog message whose `%(lines)s` names the lines to reach someone (web/lines.py)."""
    return translate(language, message, lines=describe(lines, language))


def assistant_down(language: str | None, lines: list[dict[str, Any]]) -> str:
    return with_lines(language, ASSISTANT_DOWN, lines)


def ended_chat(language: str | None, peer_name: str | None) -> str:
    """The person ended their chat with a peer."""
    return translate(
        language,
        "You ended the chat with %(name)s. The automated assistant is still here if you need "
        "anything.",
        name=peer_name or translate(language, "the peer"),
    )
