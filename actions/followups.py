"""Questions about the services just shown, answered from `shown_resources`.

Which service: by position ("the second one", "the 3rd", "the last one"), by name (fuzzy,
rapidfuzz: "what's the address of reflective"), or all of them ("do any of them have a bed
tonight"). What about it: phone, address, hours, open now, open beds, insurance, website.
When the listing does not say, the answer says so and gives the listing's own number to
ask ("They haven't listed hours; call <the number on the card> to ask").
Wording: bot/domain/responses.yml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rapidfuzz import fuzz
from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import NamedAction
from actions.understanding import latest_text, read_message

Card = Mapping[str, Any]

_ORDINALS: dict[str, int] = {
    "first": 0, "1st": 0, "#1": 0, "one": 0,
    "second": 1, "2nd": 1, "#2": 1, "two": 1,
    "third": 2, "3rd": 2, "#3": 2, "three": 2,
    "fourth": 3, "4th": 3, "#4": 3, "four": 3,
    "fifth": 4, "5th": 4, "#5": 4, "five": 4,
    # Spanish ("el segundo", "la primera", "el numero dos")
    "primero": 0, "primera": 0, "primer": 0, "1ro": 0, "1ra": 0, "uno": 0,
    "segundo": 1, "segunda": 1, "2do": 1, "2da": 1, "dos": 1,
    "tercero": 2, "tercera": 2, "tercer": 2, "3ro": 2, "3ra": 2, "tres": 2,
    "cuarto": 3, "cuarta": 3, "4to": 3, "4ta": 3, "cuatro": 3,
    "quinto": 4, "quinta": 4, "5to": 4, "5ta": 4, "cinco": 4,
}
_ORDINAL_RE = re.compile(
    r"(?<!\w)(first|1st|#1|second|2nd|#2|third|3rd|#3|fourth|4th|#4|fifth|5th|#5"
    r"|primero|primera|primer|1ro|1ra|segundo|segunda|2do|2da|tercero|tercera|tercer|3ro|3ra"
    r"|4to|4ta|quinto|quinta|5to|5ta)(?!\w)"
    r"|\b(?:el|la) (cuarto|cuarta)\b"
    r"|\b(?:number|no\.?|#|numero|número)\s*(one|two|three|four|five|uno|dos|tres|cuatro|cinco"
    r"|[1-5])\b",
    re.IGNORECASE,
)
_LAST_RE = re.compile(r"\b(last|ultimo|último|ultima|última)\b", re.IGNORECASE)
_ALL_RE = re.compile(
    r"\b(any|anyone|anybody|anywhere|all|each|which|none"
    r"|alguno|alguna|algun|algún|cualquiera|todos|todas|cual|cuál|cuales|cuáles|ninguno)\b"
    r"(?! (?:of )?(?:it|that)\b)",
    re.IGNORECASE,
)
NAME_MATCH_CUTOFF = 85

#: What is asked, checked in this order; the intent decides when no word does.
ATTRIBUTE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("beds", re.compile(r"\b(beds?|space|spaces|spot|spots|openings?|room for|vacanc\w*|"
                        r"availab\w*|take me (?:in|tonight|today)|get in"
                        r"|camas?|cupos?|espacio|disponib\w*)\b", re.I)),
    ("insurance", re.compile(r"\b(medicaid|medicare|insurance|insured|tricare|va|"
                             r"private|blue ?cross|aetna|cigna|take my|accept|cover|pay|"
                             r"cost|free|seguro|aseguranza|aceptan?|cobran?|cuesta|gratis|"
                             r"pagar)\b", re.I)),
    ("open_now", re.compile(r"\bopen\s+(?:right\s+)?(?:now|today|tonight|yet)\b|"
                            r"\bstill open\b|\bopen at the moment\b|"
                            r"\b(?:esta|está|estan|están) abiertos?\b|"
                            r"\babiert[oa]s? (?:ahora|hoy)\b", re.I)),
    ("address", re.compile(r"\b(address|where is|where are|located|location|directions|"
                           r"how do i get|direccion|dirección|donde queda|dónde queda|"
                           r"donde esta|dónde está|ubicacion|ubicación|como llego|cómo llego)\b",
                           re.I)),
    ("hours", re.compile(r"\b(hours|what time|when .*open|open|close|closing|horario|horas|"
                         r"a que hora|a qué hora|abren|cierran)\b", re.I)),
    ("website", re.compile(r"\b(website|web site|site|online|link|url|pagina|página|"
                           r"sitio|enlace)\b", re.I)),
    ("phone", re.compile(r"\b(number|phone|call|contact|numero|número|telefono|teléfono|"
                         r"llamar|llamo|contacto)\b", re.I)),
)
INTENT_ATTRIBUTES = {"ask_phone": "phone", "ask_address": "address", "ask_hours": "hours"}
#: Attributes asked about all shown services when no single one is named.
ACROSS_ALL = {"beds", "insurance", "open_now"}

#: Words that never identify a service by name.
_NOT_NAME_TEXT = (
    "the a an of and or to for at in on is are does do did can could would will what whats "
    "what's when where which who how their they them it its it's that this there one ones "
    "any all of them have has had get give me my i you your please pls number phone address "
    "hours open now today tonight bed beds take takes accept insurance medicaid medicare "
    "call website time closed close place places center centre services service recovery "
    "treatment program clinic inc llc about tell more info information "
    "el la los las lo de del que cual cuál donde dónde queda esta está es son su sus numero "
    "número telefono teléfono direccion dirección horario lugar centro clinica clínica hay "
    "tiene tienen acepta aceptan camas cama abierto abren me mi dame dime "
    "alguno alguna algun algún cualquiera todos todas ninguno ninguna cuales cuáles"
)
_NOT_NAME_WORDS = frozenset(_NOT_NAME_TEXT.split())
_WORD = re.compile(r"[a-z0-9']+")

INSURANCE_WORDS: dict[str, str] = {
    "medicaid": "medicaid", "medicare": "medicare", "tricare": "military", "va": "military",
    "private": "private", "blue cross": "private", "aetna": "private", "cigna": "private",
}
INSURANCE_NAMES: dict[str, str] = {
    "medicaid": "Medicaid", "medicare": "Medicare", "private": "private insurance",
    "military": "TRICARE or VA", "ihs_tribal": "IHS or tribal coverage",
    "self_pay": "self-pay", "sliding_fee": "a sliding fee", "payment_assistance":
    "payment assistance", "free": "free care", "state_funded": "state-funded care",
}


def _position(message: str, count: int) -> int | None:
    match = _ORDINAL_RE.search(message)
    if match:
        word = next(group for group in match.groups() if group).lower()
        index = int(word) - 1 if word.isdigit() else _ORDINALS[word]
        return min(index, count - 1)
    if _LAST_RE.search(message):
        return count - 1
    return None


def _by_name(message: str, shown: Sequence[Card]) -> int | None:
    """The shown service whose name the message gives (fuzzy), if exactly one fits best."""
    words = [w for w in _WORD.findall(message.lower()) if w not in _NOT_NAME_WORDS]
    query = " ".join(words)
    if len(query) < 4:
        return None
    scores = []
    for card in shown:
        name = str(card.get("name") or "").lower()
        scores.append(fuzz.partial_ratio(query, name) + fuzz.token_set_ratio(query, name) / 10)
    best = max(range(len(scores)), key=scores.__getitem__)
    if scores[best] < NAME_MATCH_CUTOFF or sorted(scores)[-2:].count(scores[best]) > 1:
        return None
    return best


def pick_resources(message: str, shown: Sequence[Card], attribute: str) -> list[Card]:
    """The services the person means: one by position or name, all of them for "any of
    them" (and for beds, insurance, open now when none is named), else the first."""
    if not shown:
        return []
    index = _position(message, len(shown))
    if index is None and len(shown) > 1:
        index = _by_name(message, shown)
    if index is not None:
        return [shown[index]]
    if _ALL_RE.search(message) or attribute in ACROSS_ALL:
        return list(shown)
    return [shown[0]]


def pick_resource(message: str, shown: Sequence[Card]) -> Card | None:
    """One service: by position, by name, or the first."""
    picked = pick_resources(message, shown, "phone")
    return picked[0] if len(picked) == 1 else (shown[0] if shown else None)


def asked_attribute(message: str, intent: str | None) -> str:
    for attribute, pattern in ATTRIBUTE_PATTERNS:
        if pattern.search(message):
            if attribute == "hours" and intent in ("ask_phone", "ask_address"):
                continue
            return attribute
    return INTENT_ATTRIBUTES.get(str(intent), "phone")


def asked_insurance(message: str, tracker: Tracker | None) -> str | None:
    lowered = message.lower()
    for word, value in INSURANCE_WORDS.items():
        if re.search(rf"\b{word}\b", lowered):
            return value
    if tracker is not None:
        understood = read_message(tracker).insurance
        if understood and understood not in ("any", "none"):
            return understood
        slot = tracker.get_slot("insurance")
        if slot and slot not in ("any", "none"):
            return str(slot)
    return None


def looks_like_followup(message: str, shown: Sequence[Card]) -> bool:
    """A question about shown services that the intent classifier did not recognise."""
    if not shown or not message:
        return False
    about = any(p.search(message) for _, p in ATTRIBUTE_PATTERNS)
    refers = bool(_ORDINAL_RE.search(message) or _ALL_RE.search(message)
                  or _LAST_RE.search(message)
                  or re.search(r"\b(they|them|their|it|that one|this one"
                               r"|ellos|ellas|ese|esa|esos|esas|tienen|aceptan|abren|cierran)\b",
                               message, re.I))
    named = len(shown) > 1 and _by_name(message, shown) is not None
    return (about and (refers or named)) or (named and "?" in message)


# ------------------------------------------------------------------------------ answers

def _phone_suffix(card: Card) -> str:
    return "" if card.get("phone") else "_no_phone"


def _name(card: Card) -> str:
    return str(card.get("name") or "That service")


def _calls(cards: Sequence[Card]) -> str:
    return "\n".join(f"- {_name(c)}: {c.get('phone') or c.get('website') or 'no phone listed'}"
                     for c in cards)


def answer_phone(dispatcher: CollectingDispatcher, card: Card) -> None:
    if card.get("phone"):
        dispatcher.utter_message(response="utter_followup_phone", name=_name(card),
                                 phone=card["phone"])
    elif card.get("website"):
        dispatcher.utter_message(response="utter_followup_website_only", name=_name(card),
                                 website=card["website"])
    else:
        dispatcher.utter_message(response="utter_followup_no_contact", name=_name(card))


def answer_website(dispatcher: CollectingDispatcher, card: Card) -> None:
    if card.get("website"):
        dispatcher.utter_message(response="utter_followup_website", name=_name(card),
                                 website=card["website"])
    else:
        dispatcher.utter_message(response="utter_followup_no_website" + _phone_suffix(card),
                                 name=_name(card), phone=card.get("phone") or "")


def answer_address(dispatcher: CollectingDispatcher, card: Card) -> None:
    town = ", ".join(p for p in (card.get("city"),
                                 " ".join(x for x in (card.get("state"), card.get("zip")) if x))
                     if p)
    if card.get("address"):
        dispatcher.utter_message(response="utter_followup_address", name=_name(card),
                                 address=", ".join(p for p in (card["address"], town) if p))
    elif town:
        dispatcher.utter_message(response="utter_followup_town_only", name=_name(card),
                                 place=town)
    else:
        dispatcher.utter_message(response="utter_followup_no_address" + _phone_suffix(card),
                                 name=_name(card), phone=card.get("phone") or "")


def answer_hours(dispatcher: CollectingDispatcher, card: Card) -> None:
    variables = {"name": _name(card), "phone": card.get("phone") or "",
                 "hours": card.get("hours") or ""}
    if not card.get("hours"):
        dispatcher.utter_message(response="utter_followup_no_hours" + _phone_suffix(card),
                                 **variables)
        return
    suffix = {True: "_open", False: "_closed"}.get(card.get("open_now"), "")  # type: ignore[arg-type]
    dispatcher.utter_message(response="utter_followup_hours" + suffix, **variables)


def answer_open_now(dispatcher: CollectingDispatcher, cards: Sequence[Card]) -> None:
    if len(cards) == 1:
        answer_hours(dispatcher, cards[0])
        return
    open_now = [c for c in cards if c.get("open_now") is True]
    if open_now:
        dispatcher.utter_message(response="utter_followup_any_open",
                                 names=", ".join(_name(c) for c in open_now))
    else:
        dispatcher.utter_message(response="utter_followup_none_open", calls=_calls(cards))


def _capacity(card: Card) -> Mapping[str, Any] | None:
    capacity = card.get("capacity")
    return capacity if isinstance(capacity, Mapping) else None


def answer_beds(dispatcher: CollectingDispatcher, cards: Sequence[Card]) -> None:
    if len(cards) > 1:
        with_beds = [c for c in cards if (_capacity(c) or {}).get("available", 0) > 0]
        if with_beds:
            dispatcher.utter_message(
                response="utter_followup_any_beds",
                names=", ".join(f"{_name(c)} ({_capacity(c)['available']})"  # type: ignore[index]
                                for c in with_beds),
                calls=_calls(with_beds))
        else:
            dispatcher.utter_message(response="utter_followup_none_beds", calls=_calls(cards))
        return
    card = cards[0]
    capacity = _capacity(card)
    variables = {"name": _name(card), "phone": card.get("phone") or ""}
    if capacity is None:
        dispatcher.utter_message(response="utter_followup_beds_unknown" + _phone_suffix(card),
                                 **variables)
        return
    variables |= {"available": str(capacity.get("available", 0)),
                  "unit": str(capacity.get("unit") or "beds"),
                  "updated": str(capacity.get("updated_at") or "")[:10] or "recently"}
    response = "utter_followup_beds" if capacity.get("available", 0) > 0 else "utter_followup_full"
    dispatcher.utter_message(response=response + _phone_suffix(card), **variables)


def answer_insurance(dispatcher: CollectingDispatcher, cards: Sequence[Card],
                     insurance: str | None) -> None:
    if insurance is None:
        for card in cards[:5]:
            listed = [INSURANCE_NAMES.get(v, v) for v in card.get("insurance") or []]
            if listed:
                dispatcher.utter_message(response="utter_followup_insurance_list",
                                         name=_name(card), insurance=", ".join(listed))
            else:
                dispatcher.utter_message(
                    response="utter_followup_insurance_unknown" + _phone_suffix(card),
                    name=_name(card), phone=card.get("phone") or "")
        return
    label = INSURANCE_NAMES.get(insurance, insurance)
    takes = [c for c in cards if insurance in (c.get("insurance") or [])]
    if len(cards) > 1:
        if takes:
            dispatcher.utter_message(response="utter_followup_any_takes", insurance=label,
                                     names=", ".join(_name(c) for c in takes))
        else:
            dispatcher.utter_message(response="utter_followup_none_takes", insurance=label,
                                     calls=_calls(cards))
        return
    card = cards[0]
    variables = {"name": _name(card), "insurance": label, "phone": card.get("phone") or ""}
    if takes:
        dispatcher.utter_message(response="utter_followup_takes", **variables)
    elif card.get("insurance"):
        dispatcher.utter_message(response="utter_followup_not_listed" + _phone_suffix(card),
                                 **variables)
    else:
        dispatcher.utter_message(response="utter_followup_insurance_unknown"
                                 + _phone_suffix(card), **variables)


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, message: str,
           intent: str | None) -> bool:
    """Answer a question about the shown services; False when none were shown."""
    shown = tracker.get_slot("shown_resources") or []
    if not shown:
        return False
    attribute = asked_attribute(message, intent)
    cards = pick_resources(message, shown, attribute)
    if attribute == "beds":
        answer_beds(dispatcher, cards)
    elif attribute == "insurance":
        answer_insurance(dispatcher, cards, asked_insurance(message, tracker))
    elif attribute == "open_now":
        answer_open_now(dispatcher, cards)
    else:
        single = {"phone": answer_phone, "address": answer_address, "hours": answer_hours,
                  "website": answer_website}[attribute]
        for card in cards[:5]:
            single(dispatcher, card)
    return True


class ActionAnswerFollowup(NamedAction):
    """Phone, address, hours, open now, beds or insurance of the services shown last."""

    action_name = "action_answer_followup"

    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        intent = (tracker.latest_message or {}).get("intent", {}).get("name")
        if not answer(dispatcher, tracker, latest_text(tracker), intent):
            dispatcher.utter_message(response="utter_followup_nothing_shown")
        return []
