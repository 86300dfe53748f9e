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
from web.crisis_text_es import after_es, steps_es
from web.frames import PEER_BUTTON, WAIT_BUTTON
from web.i18n import button

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


def _how(key: str) -> str:
    """'call 911', 'call or text 988', 'text HOME to 741741' for a national line."""
    entry = line_by_key(key) or {}
    phone, text = entry.get("phone"), entry.get("text")
    if phone and text == phone:
        return f"call or text {phone}"
    if phone:
        return f"call {phone}"
    if text:
        return f"{text[0].lower()}{text[1:]}"
    return "call emergency services"


def _reach(key: str) -> str:
    """'call or text the 988 Suicide & Crisis Lifeline' (the number is in the name), else
    'call 1-800-… (Name)'."""
    entry = line_by_key(key) or {}
    name, phone = str(entry.get("name") or ""), entry.get("phone")
    how = _how(key)
    if phone and phone in name:
        return f"{how.removesuffix(' ' + phone)} the {name}"
    return f"{how} ({name})" if name else how


def steps(kind: str, subject: str = "unknown") -> str:
    """What to do now, for the kind of crisis and for whom."""
    call_911 = _how("emergency")
    if kind == "overdose":
        if subject == "self":
            return (f"If you took too much, {call_911} now. Don't wait to see if it passes. "
                    "If anyone is near you, tell them and ask them to stay with you. Naloxone "
                    "(Narcan) can reverse an opioid overdose: if there is some, ask them to "
                    "give it to you.")
        if subject == "other":
            return (f"{_capital(call_911)} now. Give naloxone (Narcan) if you have it. "
                    "Stay with them until help arrives.")
        return (f"{_capital(call_911)} now. Give naloxone (Narcan) if you have it. If it's you, "
                "tell someone near you. If it's someone else, stay with them until help "
                "arrives.")
    if kind == "suicide":
        lifeline = _reach("988")
        if subject == "other":
            return (f"Thank you for telling me. Please {lifeline}: they help people who are "
                    "worried about someone, too. If they might act on it right now, "
                    f"{call_911} and stay with them.")
        return ("Thank you for telling me. You don't have to go through this alone. Please "
                f"{lifeline} now: someone answers any time, day or night. If you might act "
                f"on these thoughts right now, {call_911}.")
    if subject == "other":
        return f"If someone is in danger right now, {call_911}."
    return (f"Your safety comes first. If you're in danger right now, {call_911}. "
            "The lines below answer any time, too.")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _after(context: str, position: int | None, peer_name: str | None) -> str:
    place = f"number {position}" if position else "in line"
    if context == "no_peer":
        return ("I'm sorry: no peer recovery specialist is online right now. This chat stays "
                "open: you can keep writing here, and if you'd like to wait for a peer, "
                "you'll be at the front of the line when one comes online.")
    if context == "waiting_no_peer":
        return ("No peer recovery specialist is online right now, so please don't wait for "
                f"one. You're {place} in line for when one comes online, and this chat stays "
                "open: you can keep writing here, and the peer will read it when they join.")
    if context == "overdue":
        return ("No peer has been able to join yet, I'm sorry, so please don't wait for one. "
                f"You're still {place} in line, and this chat stays open: you can keep "
                "writing here, and the peer will read it when they join.")
    if context == "waiting":
        return (f"I've moved you up: you're {place} in line, and a peer recovery specialist "
                "will join as soon as one is free. Please don't wait for them to call.")
    if context == "with_peer":
        return f"{peer_name or 'Your peer'} can see this too and is still here with you."
    if context == "assistant_down":
        return ("The assistant can't answer right now. You can also talk with a peer "
                "recovery specialist.")
    return "You can also talk with a peer recovery specialist, a real person."


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
    """The words, the payload and the buttons of one crisis reply, in Spanish when
    `language` is "es" (English otherwise)."""
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")
    spanish = language == "es"
    buttons: list[dict[str, str]] = []
    if context in ("bot", "assistant_down"):
        buttons = [button(language, PEER_BUTTON)]
    elif context == "no_peer":
        buttons = [button(language, WAIT_BUTTON)]
    if spanish:
        text = f"{steps_es(kind, subject)} {after_es(context, position, peer_name)}"
    else:
        text = f"{steps(kind, subject)} {_after(context, position, peer_name)}"
    return CrisisReply(text, crisis_payload(kind, subject, "es" if spanish else "en"), buttons)


def peer_alert(
    conversation_id: str, kind: str, subject: str, state: str
) -> dict[str, Any]:
    """Tells a peer console that a person wrote about a crisis (shown as a banner)."""
    return {"type": "crisis", "conversation_id": conversation_id, "kind": kind,
            "label": KIND_LABELS.get(kind, kind), "subject": subject, "state": state,
            "lines": crisis_lines(kind)}
