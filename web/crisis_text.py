"""What the web app says when a person's message reads as a crisis, in each handoff state.

A reply is: the steps for the crisis kind (worded for the person themselves or for a
bystander, after `CrisisSignal.subject`), then where things stand (a peer sees it, nobody is
online, ...), then what the person can do next. Never a service search in that moment.

Every number comes from resources_db/seed/national_resources.json through
`resources_db.national`; none is typed here. The payload is contract §4's `crisis` object, so
the widget shows the lines as tap-to-call and tap-to-text links, and links the numbers that
appear in the words too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resources_db.national import crisis_lines, line_by_key
from resources_db.reach import how_to_reach
from web.frames import PEER_BUTTON, WAIT_BUTTON
from web.i18n import button, known, translate

#: Where the person is when the crisis reply is sent.
CONTEXTS = (
    "bot",              # the assistant answered without a crisis reply (added by the web app)
    "assistant_down",   # the assistant could not answer at all
    "waiting",          # in line, a peer is online
    "waiting_no_peer",  # in line, nobody online
    "with_peer",        # a peer is in the chat
    "no_peer",          # asked for a peer, nobody online
    "overdue",          # in line, nobody claimed in time
)
KIND_LABELS = {"overdose": "possible overdose", "suicide": "suicide risk",
               "danger": "immediate danger"}


@dataclass(frozen=True)
class CrisisReply:
    text: str
    custom: dict[str, Any]
    buttons: list[dict[str, str]]


def _how(language: str | None, key: str) -> str:
    """'call 911', 'call or text 988', 'text HOME to 741741' for a national line
    (resources_db/reach.py, the one wording of it)."""
    return how_to_reach(line_by_key(key) or {}, language) \
        or translate(language, "call emergency services")


def _lifeline(language: str | None) -> str:
    """How to reach the 988 Lifeline: 'call or text the 988 Suicide & Crisis Lifeline'; for a
    person writing Spanish, its Spanish options from the entry ('llama al 988 y oprime 2
    para hablar en español, o envía AYUDA por mensaje de texto al 988')."""
    entry = line_by_key("988") or {}
    name, phone = str(entry.get("name") or ""), entry.get("phone")
    how = _how(language, "988")
    if language == "es":
        return how
    if phone and phone in name:
        return f"{how.removesuffix(' ' + phone)} the {name}"
    return f"{how} ({name})" if name else how


def steps(kind: str, subject: str = "unknown", language: str | None = None) -> str:
    """What to do now, for the kind of crisis and for whom."""
    call = _how(language, "emergency")
    words = {"call_911": call, "Call_911": _capital(call)}
    if kind == "overdose":
        if subject == "self":
            return translate(
                language,
                "If you took too much, %(call_911)s now. Don't wait to see if it passes. If "
                "anyone is near you, tell them and ask them to stay with you. Naloxone (Narcan) "
                "can reverse an opioid overdose: if there is some, ask them to give it to you.",
                **words,
            )
        if subject == "other":
            return translate(
                language,
                "%(Call_911)s now. Give naloxone (Narcan) if you have it. Stay with them until "
                "help arrives.",
                **words,
            )
        return translate(
            language,
            "%(Call_911)s now. Give naloxone (Narcan) if you have it. If it's you, tell someone "
            "near you. If it's someone else, stay with them until help arrives.",
            **words,
        )
    if kind == "suicide":
        lifeline = _lifeline(language)
        if subject == "other":
            return translate(
                language,
                "Thank you for telling me. Please %(lifeline)s: they help people who are worried "
                "about someone, too. If they might act on it right now, %(call_911)s and stay "
                "with them.",
                lifeline=lifeline, **words,
            )
        return translate(
            language,
            "Thank you for telling me. You don't have to go through this alone. Please "
            "%(lifeline)s now: someone answers any time, day or night. If you might act on "
            "these thoughts right now, %(call_911)s.",
            lifeline=lifeline, **words,
        )
    if subject == "other":
        return translate(language, "If someone is in danger right now, %(call_911)s.", **words)
    return translate(
        language,
        "Your safety comes first. If you're in danger right now, %(call_911)s. The lines "
        "below answer any time, too.",
        **words,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _after(
    context: str, position: int | None, peer_name: str | None, language: str | None
) -> str:
    """Where the person is now and what they can do."""
    if context == "no_peer":
        return translate(
            language,
            "I'm sorry: no peer recovery specialist is online right now. This chat stays open: "
            "you can keep writing here, and if you'd like to wait for a peer, you'll be at the "
            "front of the line when one comes online.",
        )
    if context in ("waiting_no_peer", "overdue", "waiting"):
        return _in_line(context, position, language)
    if context == "with_peer":
        if peer_name:
            return translate(
                language, "%(name)s can see this too and is still here with you.", name=peer_name
            )
        return translate(language, "Your peer can see this too and is still here with you.")
    if context == "assistant_down":
        return translate(
            language,
            "The assistant can't answer right now. You can also talk with a peer recovery "
            "specialist.",
        )
    return translate(language, "You can also talk with a peer recovery specialist, a real person.")


def _in_line(context: str, position: int | None, language: str | None) -> str:
    """The person is in line: their place (when known), and what happens next."""
    place = (
        translate(language, "number %(position)s in line", position=position)
        if position else translate(language, "in line")
    )
    if context == "waiting_no_peer":
        return translate(
            language,
            "No peer recovery specialist is online right now, so please don't wait for one. "
            "You're %(place)s for when one comes online, and this chat stays open: you can "
            "keep writing here, and the peer will read it when they join.",
            place=place,
        )
    if context == "overdue":
        return translate(
            language,
            "No peer has been able to join yet, I'm sorry, so please don't wait for one. "
            "You're still %(place)s, and this chat stays open: you can keep writing here, and "
            "the peer will read it when they join.",
            place=place,
        )
    return translate(
        language,
        "I've moved you up: you're %(place)s, and a peer recovery specialist will join as soon "
        "as one is free. Please don't wait for them to call.",
        place=place,
    )


def crisis_payload(kind: str, subject: str = "unknown", language: str = "en") -> dict[str, Any]:
    """Contract §4's `crisis` object, plus who is in danger (the widget ignores it) and the
    language of the words (the widget words its labels of the lines in it)."""
    return {"type": "crisis", "kind": kind, "subject": subject, "lines": crisis_lines(kind),
            "language": language}


def crisis_reply(
    kind: str,
    subject: str = "unknown",
    context: str = "bot",
    *,
    position: int | None = None,
    peer_name: str | None = None,
    language: str | None = None,
) -> CrisisReply:
    """The words, the payload and the buttons of one crisis reply, in `language` (the
    catalog's, web/locale; English when it has none)."""
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")
    language = known(language)
    buttons: list[dict[str, str]] = []
    if context in ("bot", "assistant_down"):
        buttons = [button(language, PEER_BUTTON)]
    elif context == "no_peer":
        buttons = [button(language, WAIT_BUTTON)]
    text = f"{steps(kind, subject, language)} {_after(context, position, peer_name, language)}"
    return CrisisReply(text, crisis_payload(kind, subject, language), buttons)


def peer_alert(
    conversation_id: str, kind: str, subject: str, state: str
) -> dict[str, Any]:
    """Tells a peer console that a person wrote about a crisis (shown as a banner)."""
    return {"type": "crisis", "conversation_id": conversation_id, "kind": kind,
            "label": KIND_LABELS.get(kind, kind), "subject": subject, "state": state,
            "lines": crisis_lines(kind)}
