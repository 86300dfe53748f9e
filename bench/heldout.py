"""The held-out conversation sets (tests/conversations/heldout/, heldout_es/) and the judging.

Pure functions only (no network): `bench/conversations.py` drives the stack and calls these;
the unit tests feed them canned replies. A *reply* is the list of messages Rasa's REST channel
returns for one message of the person (contract §4): each may have `text`, `buttons` and a
`custom` object of type `resources`, `crisis` or `handoff`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from geopy.distance import geodesic  # type: ignore[import-untyped]
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "tests" / "conversations" / "heldout"
SPLITS = ("dev", "test")
CATEGORIES = (
    "everyday", "misspellings", "slang_brands", "indirect", "generic_treatment", "places",
    "all_in_one", "out_of_order", "followups", "mixed", "human", "family", "idioms", "crisis",
    "out_of_scope",
)


@dataclass(frozen=True)
class HeldOutSet:
    """One held-out set: its folder, its categories (= file names) and the language every
    first reply must be in (None: not checked)."""

    name: str
    root: Path
    categories: tuple[str, ...]
    first_reply_language: str | None = None


#: The English set (issue 14) and the Spanish one (issue 17; mixed = Spanglish, switching).
SETS = {
    "en": HeldOutSet("en", SET_DIR, CATEGORIES),
    "es": HeldOutSet(
        "es", ROOT / "tests" / "conversations" / "heldout_es",
        tuple(c for c in CATEGORIES if c not in {"all_in_one", "out_of_order"}), "es"),
}
LANGUAGES = frozenset({"en", "es"})
NEEDS = frozenset({
    "detox", "moud", "outpatient", "residential", "housing", "insurance", "transportation",
    "recovery_community", "peer_support", "mutual_aid", "harm_reduction", "mental_health",
    "crisis",
})
CRISIS_KINDS = frozenset({"overdose", "suicide", "danger"})
FILTERS = frozenset({"medicaid", "open_now", "beds"})
FIELDS = frozenset({"phone", "address", "hours"})
DEFAULT_WITHIN_MILES = 25.0
RESULT_KEYS = frozenset({"need_any", "near", "within_miles", "insurance", "max_turns"})
EXPECT_KEYS = RESULT_KEYS | {"handoff", "crisis", "no_crisis", "no_cards", "family_support"}
FOLLOWUP_KEYS = RESULT_KEYS | {"field", "card", "filter", "no_crisis"}
PROFILE_KEYS = frozenset({"need", "place", "insurance"})
CONVERSATION_KEYS = frozenset({"id", "category", "opening", "profile", "script", "followups",
                               "expect", "note", "first_reply_language"})
#: "{name:2}" in a follow-up: the person types part of the name of the 2nd card shown.
NAME_PLACEHOLDER = re.compile(r"\{name:(\d)\}")
#: Words that say a field is not known ("they haven't listed hours", "I don't have ...");
#: the Spanish ones ("ninguno", "nadie", "desconocido") serve the Spanish set.
UNKNOWN_CUE = re.compile(
    r"\b(?:don'?t|doesn'?t|haven'?t|hasn'?t|didn'?t|isn'?t|aren'?t|not|no|none|unknown|"
    r"nobody|never|ninguno|ninguna|nadie|nunca|desconocid[oa])\b", re.IGNORECASE,
)
HELPLINE_CUE = re.compile(r"samhsa|helpline|l[ií]nea de ayuda|1-?800-?662-?4357|662-?help",
                          re.IGNORECASE)
NALOXONE_CUE = re.compile(r"nalox|narcan", re.IGNORECASE)
NONE_OF_THEM = re.compile(r"\bnone of (?:them|these|those|the)\b"
                          r"|\bninguno de (?:ellos|estos|esos|los)\b", re.IGNORECASE)
NOT_UNDERSTOOD_CUE = re.compile(r"didn'?t understand|not understanding|can'?t help with that"
                                r"|no (?:te |le )?entend[ií]", re.IGNORECASE)
PEER_PAYLOAD = re.compile(r"peer|human|handoff", re.IGNORECASE)
#: A button that offers a person says so ("Something else" leading to a peer does not);
#: "persona" and "especialista" contain "person" and "specialist".
PEER_TITLE = re.compile(r"peer|person|human|someone|specialist|coach|alguien", re.IGNORECASE)
NAME_MATCH = 90


@dataclass(frozen=True)
class Conversation:
    """One held-out conversation: what the person writes first and what decides pass/fail."""

    id: str
    category: str
    split: str
    opening: str
    profile: Mapping[str, Any]
    expect: Mapping[str, Any]
    script: tuple[str, ...] = ()
    followups: tuple[Mapping[str, Any], ...] = ()
    #: "es": the first reply must be in Spanish (bench/reply_language.py decides).
    first_reply_language: str | None = None


@dataclass
class Verdict:
    passed: bool
    why: str = ""
    turns_to_result: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


# ---- loading and schema ------------------------------------------------------------------


def load_set(root: Path = SET_DIR, splits: Iterable[str] = SPLITS,
             first_reply_language: str | None = None) -> list[Conversation]:
    """Every conversation of the given splits, in file order (files sorted by name).

    `first_reply_language` is the set's own expectation; a conversation may say its own."""
    found: list[Conversation] = []
    for split in splits:
        for path in sorted((root / split).glob("*.yml")):
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for raw in document.get("conversations") or []:
                found.append(from_dict(raw, split, first_reply_language))
    return found


def load_named_set(name: str, splits: Iterable[str] = SPLITS) -> list[Conversation]:
    """The conversations of one of SETS, each expecting the set's first-reply language."""
    chosen = SETS[name]
    return load_set(chosen.root, splits, chosen.first_reply_language)


def from_dict(raw: Mapping[str, Any], split: str,
              first_reply_language: str | None = None) -> Conversation:
    return Conversation(
        id=str(raw.get("id")), category=str(raw.get("category")), split=split,
        opening=str(raw.get("opening", "")), profile=dict(raw.get("profile") or {}),
        expect=dict(raw.get("expect") or {}), script=tuple(raw.get("script") or ()),
        followups=tuple(dict(f) for f in raw.get("followups") or ()),
        first_reply_language=raw.get("first_reply_language") or first_reply_language,
    )


def schema_errors(raw: Mapping[str, Any]) -> list[str]:
    """What is wrong with one conversation as written in a file (empty when it is fine)."""
    errors = [f"unknown key {k!r}" for k in raw if k not in CONVERSATION_KEYS]
    for key in ("id", "category", "opening", "expect"):
        if not raw.get(key):
            errors.append(f"missing {key}")
    if raw.get("category") not in CATEGORIES:
        errors.append(f"unknown category {raw.get('category')!r}")
    if raw.get("first_reply_language") not in {None, *LANGUAGES}:
        errors.append(f"first_reply_language must be one of {sorted(LANGUAGES)}")
    profile = raw.get("profile") or {}
    errors += [f"unknown profile key {k!r}" for k in profile if k not in PROFILE_KEYS]
    if not all(isinstance(s, str) and s for s in raw.get("script") or []):
        errors.append("script must be a list of messages")
    errors += _expect_errors(raw.get("expect") or {}, EXPECT_KEYS, "expect")
    for n, followup in enumerate(raw.get("followups") or []):
        if not isinstance(followup, Mapping) or not followup.get("say"):
            errors.append(f"followup {n}: needs 'say'")
            continue
        errors += [f"followup {n}: unknown key {k!r}" for k in followup
                   if k not in {"say", "expect", "profile"}]
        errors += _expect_errors(followup.get("expect") or {}, FOLLOWUP_KEYS, f"followup {n}")
    return errors


def _expect_errors(expect: Mapping[str, Any], allowed: frozenset[str], where: str) -> list[str]:
    errors = [f"{where}: unknown key {k!r}" for k in expect if k not in allowed]
    if not expect:
        errors.append(f"{where}: empty expectation")
    if "need_any" in expect:
        needs = expect["need_any"]
        if not needs or any(n not in NEEDS for n in needs):
            errors.append(f"{where}: need_any must list need keys")
        if not expect.get("near"):
            errors.append(f"{where}: need_any needs near")
    crisis = expect.get("crisis")
    if crisis is not None and crisis != "any" and not set(_as_list(crisis)) <= CRISIS_KINDS:
        errors.append(f"{where}: crisis must be any or kinds of {sorted(CRISIS_KINDS)}")
    if expect.get("field") is not None and expect["field"] not in FIELDS:
        errors.append(f"{where}: field must be one of {sorted(FIELDS)}")
    if expect.get("filter") is not None and expect["filter"] not in FILTERS:
        errors.append(f"{where}: filter must be one of {sorted(FILTERS)}")
    return errors


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


# ---- reading a reply -----------------------------------------------------------------------


def customs(reply: Sequence[Mapping[str, Any]], kind: str) -> list[Mapping[str, Any]]:
    """The custom payloads of one type in a reply, in order."""
    return [m["custom"] for m in reply
            if isinstance(m.get("custom"), Mapping) and m["custom"].get("type") == kind]


def reply_text(reply: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(str(m["text"]) for m in reply if m.get("text"))


def query_point(payload: Mapping[str, Any]) -> tuple[float, float] | None:
    """The point a `resources` payload was searched from (its query echo)."""
    query = payload.get("query") or {}
    near = query.get("near")
    for source in (near if isinstance(near, Mapping) else {}, query):
        try:
            return float(source["lat"]), float(source["lon"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(geodesic(a, b).miles)


def result_problem(payload: Mapping[str, Any], expect: Mapping[str, Any],
                   expected_point: tuple[float, float]) -> str | None:
    """Why a `resources` payload is not the useful result expected (None when it is)."""
    query = payload.get("query") or {}
    needs = [str(n) for n in _as_list(query.get("need") or [])]
    wanted = set(expect.get("need_any") or [])
    problems = []
    if not wanted & set(needs):
        problems.append(f"need {needs} not in {sorted(wanted)}")
    point = query_point(payload)
    within = float(expect.get("within_miles", DEFAULT_WITHIN_MILES))
    if point is None:
        problems.append("no search point in the query")
    else:
        miles = miles_between(point, expected_point)
        if miles > within:
            label = (query.get("near") or {}).get("label") if isinstance(
                query.get("near"), Mapping) else None
            problems.append(f"searched {label or point} {miles:.0f} mi from {expect['near']}")
    insurance = expect.get("insurance")
    if insurance and query.get("insurance") != insurance:
        problems.append(f"insurance {query.get('insurance')!r}, expected {insurance!r}")
    return "; ".join(problems) or None


def describe(reply: Sequence[Mapping[str, Any]], limit: int = 140) -> str:
    """A one-line account of a reply for failure reports."""
    parts = []
    for message in reply:
        custom = message.get("custom")
        if isinstance(custom, Mapping):
            kind = custom.get("type")
            if kind == "resources":
                query = custom.get("query") or {}
                near = query.get("near")
                label = near.get("label") if isinstance(near, Mapping) else near
                parts.append(f"[resources {query.get('need')} near {label}]")
            else:
                parts.append(f"[{kind} {custom.get('kind') or custom.get('status') or ''}]")
        elif message.get("text"):
            parts.append(str(message["text"]).replace("\n", " ")[:limit])
    return " | ".join(parts) or "(no reply)"


# ---- judging whole-reply expectations -----------------------------------------------------


def judge_crisis(first_reply: Sequence[Mapping[str, Any]], expected: Any) -> Verdict:
    """A crisis payload must be the first message of the first reply."""
    first = first_reply[0].get("custom") if first_reply else None
    if not isinstance(first, Mapping) or first.get("type") != "crisis":
        return Verdict(False, f"no crisis payload first; got: {describe(first_reply)}")
    kinds = None if expected in (True, "any") else set(_as_list(expected))
    if kinds and first.get("kind") not in kinds:
        return Verdict(False, f"crisis kind {first.get('kind')}, expected {sorted(kinds)}")
    return Verdict(True, turns_to_result=1)


def judge_handoff(first_reply: Sequence[Mapping[str, Any]]) -> Verdict:
    if customs(first_reply, "handoff"):
        return Verdict(True, turns_to_result=1)
    return Verdict(False, f"no handoff payload in the first reply; got: {describe(first_reply)}")


def crisis_in(replies: Iterable[Sequence[Mapping[str, Any]]]) -> bool:
    return any(customs(reply, "crisis") for reply in replies)


def judge_calm(replies: Sequence[Sequence[Mapping[str, Any]]], expect: Mapping[str, Any]
               ) -> Verdict:
    """no_crisis / no_cards: a kind text answer, no crisis alarm, no resource cards."""
    if expect.get("no_crisis") and crisis_in(replies):
        return Verdict(False, f"false crisis alarm: {describe(replies[0])}")
    if expect.get("no_cards"):
        if any(customs(reply, "resources") for reply in replies):
            return Verdict(False, f"resource cards shown: {describe(replies[0])}")
        if not reply_text(replies[0]).strip():
            return Verdict(False, "no text answer")
    return Verdict(True)


def offers_peer(reply: Sequence[Mapping[str, Any]]) -> bool:
    if customs(reply, "handoff"):
        return True
    return any(PEER_PAYLOAD.search(str(b.get("payload", "")))
               and PEER_TITLE.search(str(b.get("title", "")))
               for m in reply for b in m.get("buttons") or [])


def judge_family(replies: Sequence[Sequence[Mapping[str, Any]]]) -> Verdict:
    """Naloxone, the SAMHSA helpline or a peer offered, in some reply within the turn limit.

    Naloxone must be more than a word in the menu of services that follows "Sorry, I didn't
    understand that" (a `harm_reduction` search counts too)."""
    for turn, reply in enumerate(replies, start=1):
        text = reply_text(reply)
        # "naloxone" inside the not-understood menu of services is not family support
        naloxone = NALOXONE_CUE.search(text) and not NOT_UNDERSTOOD_CUE.search(text)
        harm_reduction = any("harm_reduction" in _as_list((c.get("query") or {}).get("need"))
                             for c in customs(reply, "resources"))
        if naloxone or harm_reduction or HELPLINE_CUE.search(text) or offers_peer(reply):
            return Verdict(True, turns_to_result=turn)
    return Verdict(False, f"no naloxone, helpline or peer offer; got: {describe(replies[0])}")


# ---- follow-ups about shown cards ----------------------------------------------------------


def name_fragment(name: str) -> str:
    """Part of a service's name as a person would type it: its first distinctive word."""
    generic = {"the", "of", "and", "for", "inc", "llc", "center", "centers", "services",
               "service", "treatment", "health", "program", "clinic", "recovery", "behavioral",
               "counseling", "county", "community", "substance", "abuse", "group", "care"}
    words = re.findall(r"[a-z0-9']+", name.lower())
    for word in words:
        if len(word) >= 4 and word not in generic:
            return word
    return " ".join(words[:2])


def fill_placeholders(text: str, cards: Sequence[Mapping[str, Any]]) -> str:
    """Replace {name:N} with part of the N-th card's name (1-based)."""
    def swap(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        card = cards[min(index, len(cards) - 1)] if cards else {}
        return name_fragment(str(card.get("name") or ""))
    return NAME_PLACEHOLDER.sub(swap, text)


def names_card(text: str, card: Mapping[str, Any]) -> bool:
    name = str(card.get("name") or "").lower()
    return bool(name) and fuzz.partial_ratio(name, text.lower()) >= NAME_MATCH


def field_value_in(text: str, card: Mapping[str, Any], name: str) -> bool:
    value = card.get(name)
    if not value:
        return False
    if name == "phone":
        digits = re.sub(r"\D", "", str(value))[-10:]
        return bool(digits) and digits in re.sub(r"\D", "", text)
    if name == "address":
        street = str(value).split(",")[0].lower()
        return fuzz.partial_ratio(street, text.lower()) >= NAME_MATCH
    return str(value).lower()[:20] in text.lower()


def judge_field(reply: Sequence[Mapping[str, Any]], cards: Sequence[Mapping[str, Any]],
                field_name: str, position: int) -> Verdict:
    """The answer gives the field of the card meant, or says honestly that it is unknown."""
    if not cards:
        return Verdict(False, "no cards were shown to ask about")
    target = cards[min(position, len(cards)) - 1]
    text = reply_text(reply)
    if target.get(field_name):
        if field_value_in(text, target, field_name):
            return Verdict(True)
        return Verdict(False, f"{field_name} of card {position} ({target.get('name')}) "
                              f"not in: {describe(reply)}")
    others = [c for c in cards if c is not target and field_value_in(text, c, field_name)]
    if names_card(text, target) and honest_no(text) and not others:
        return Verdict(True)
    return Verdict(False, f"card {position} ({target.get('name')}) has no {field_name}; "
                          f"expected an honest 'not listed' about it, got: {describe(reply)}")


def honest_no(text: str) -> bool:
    """Says a value is not known or that none has it (and is not "I didn't understand")."""
    return bool(UNKNOWN_CUE.search(text)) and not NOT_UNDERSTOOD_CUE.search(text)


def card_matches(card: Mapping[str, Any], name: str) -> bool:
    if name == "medicaid":
        return "medicaid" in (card.get("insurance") or [])
    if name == "open_now":
        return card.get("open_now") is True
    capacity = card.get("capacity") or {}
    return isinstance(capacity, Mapping) and (capacity.get("available") or 0) > 0


def judge_filter(reply: Sequence[Mapping[str, Any]], cards: Sequence[Mapping[str, Any]],
                 name: str) -> Verdict:
    """Which shown cards have the attribute: name the ones that do (and none that do not),
    or say none do / nobody reports it; a new search filtered that way also counts."""
    for payload in customs(reply, "resources"):
        new_cards = payload.get("resources") or []
        query = payload.get("query") or {}
        if name == "medicaid" and query.get("insurance") == "medicaid":
            return Verdict(True)
        if new_cards and all(card_matches(c, name) for c in new_cards):
            return Verdict(True)
    text = reply_text(reply)
    matching = [c for c in cards if card_matches(c, name)]
    named_wrong = [c.get("name") for c in cards
                   if not card_matches(c, name) and names_card(text, c)
                   and not any(names_card(str(c.get("name")), m) for m in matching)]
    if matching:
        if any(names_card(text, c) for c in matching) and not named_wrong:
            return Verdict(True)
        return Verdict(False, f"{name}: expected {[c.get('name') for c in matching]}, "
                              f"got: {describe(reply)}")
    # "None of them …; call to ask: A, B" names cards only as whom to call
    if honest_no(text) and (not named_wrong or NONE_OF_THEM.search(text)):
        return Verdict(True)
    return Verdict(False, f"{name}: no shown card has it; expected an honest no, "
                          f"got: {describe(reply)}")
