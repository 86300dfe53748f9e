"""What the web app itself tells a person, in the language they write in (web/i18n.py).

The assistant's words are Rasa's (bot/domain/responses.yml) and crisis replies are
web/crisis_text.py's; these are the relay's own notices: the queue, a peer joining or leaving,
the assistant being down, and errors about a message. Every number comes from
resources_db/seed/national_resources.json through `web.lines`.
"""

from __future__ import annotations

from typing import Any

from web.i18n import number, translate
from web.lines import describe


def empty(language: str | None) -> str:
    return translate(language, "Type a message first.")


def too_long(language: str | None, limit: int) -> str:
    return translate(
        language,
        "That message is too long. Please keep it under %(limit)s characters.",
        limit=number(language, limit),
    )


def too_fast(language: str | None) -> str:
    return translate(
        language,
        "You're sending messages faster than I can keep up. Please wait a moment and try "
        "again.",
    )


def waiting_anyway(language: str | None) -> str:
    """The person chose to wait although nobody is online."""
    return translate(
        language,
        "OK. You're in line, and a peer recovery specialist will see your request as soon as "
        "one comes online. You can leave this page open.",
    )


def back_with_assistant(language: str | None) -> str:
    return translate(
        language,
        "OK, you're back with the automated assistant. You can ask for a peer again anytime.",
    )


def may_wait(language: str | None) -> str:
    """After the assistant said nobody is online."""
    return translate(
        language,
        "If you'd like, you can also wait here and a peer will join when one comes online.",
    )


def peer_asked(language: str | None) -> str:
    """The assistant is down and a peer is online: the web app queued the person itself."""
    return translate(
        language,
        "I've asked for a peer recovery specialist. They'll join this chat as soon as one is "
        "free.",
    )


def nobody_free(language: str | None, lines: list[dict[str, Any]], *, overdue: bool) -> str:
    """Nobody is online (or, `overdue`, nobody claimed the wait in time)."""
    if overdue:
        message = (
            "No peer has been able to join yet. You can keep waiting here and one will see "
            "your request, or reach someone now: %(lines)s."
        )
    else:
        message = (
            "No peer recovery specialist is online right now. You can keep waiting here and "
            "one will see your request, or reach someone now: %(lines)s."
        )
    return translate(language, message, lines=describe(lines, language))


def assistant_down(language: str | None, lines: list[dict[str, Any]]) -> str:
    return translate(
        language,
        "Sorry, the assistant can't answer right now. You don't have to wait for it: "
        "%(lines)s. You can also talk to a peer.",
        lines=describe(lines, language),
    )


def stopped_waiting(language: str | None) -> str:
    return translate(
        language,
        "You stopped waiting for a peer. The automated assistant is still here if you need "
        "anything, and you can ask for a peer again anytime.",
    )


def ended_chat(language: str | None, peer_name: str | None) -> str:
    """The person ended their chat with a peer."""
    return translate(
        language,
        "You ended the chat with %(name)s. The automated assistant is still here if you need "
        "anything.",
        name=peer_name or translate(language, "the peer"),
    )


def peer_joined(language: str | None, peer_name: str) -> str:
    return translate(
        language, "%(name)s, a peer recovery specialist, joined the chat.", name=peer_name
    )


def peer_returned(language: str | None, peer_name: str) -> str:
    """The peer handed the chat back to the assistant."""
    return translate(
        language,
        "%(name)s handed the chat back to the automated assistant. You can keep asking for "
        "help here, or ask for a peer again anytime.",
        name=peer_name,
    )


def peer_closed(language: str | None, peer_name: str) -> str:
    return translate(
        language,
        "%(name)s closed the peer chat. The automated assistant is still here, and you can "
        "ask for a peer again anytime.",
        name=peer_name,
    )
