"""The place a whole message names, found with the directory's gazetteer and geocoder.

Every span of up to MAX_NAME_WORDS words inside one sentence is looked up in the gazetteer
(ZIPs, "City, ST", "City State", counties, multi-word cities, states, aliases). Each span
that exists is resolved with `resolve_place`, so a place means the same here as in a search.
The most specific wins: ZIP > city with its state > city alone > county > state; a found
city beats an ambiguous one; a state named elsewhere ("I'm in Maryland, near Cumberland")
or the place the person gave before picks among same-named cities. A correction ("actually
I'm in Frostburg") wins over what it corrects.

A bare word that happens to be a town ("help", "home", "hope", "rehab", "Tyler" after "my
son") is not a place unless it is introduced ("I'm in Hope") or is the whole answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from resources_db.gazetteer import (
    WORDLIKE_STATE_CODES,
    Gazetteer,
    expand_abbreviations,
    load_gazetteer,
)
from resources_db.geocode import (
    INTRODUCERS,
    LEADING_FILLER,
    TRAILING_FILLER,
    Place,
    PlaceLookup,
    city_place,
    expand_county_abbreviations,
    resolve_place,
    state_place,
    zip_place,
)
from resources_db.understand.misspelt_places import find_misspelt_place
from resources_db.understand.places_words import (
    CORRECTION_WORDS,
    DETERMINERS,
    NAME_INTRODUCERS,
    NEVER_A_PLACE_ALONE,
    ORDINARY,
    RELATION_WORDS,
    STRONG_INTRODUCERS,
    PlaceFound,
)
from resources_db.understand.text import Message

# Longest place name tried, in words ("Lake Havasu City", "Saint Marys County").
MAX_NAME_WORDS = 5
_SENTENCE_MARKS = frozenset(".!?;")
_COUNTY_WORDS = frozenset({"county", "parish", "borough"})

# Specificity tiers: a higher tier wins.
TIER_ZIP = 6
TIER_CITY_STATE = 5
TIER_CITY = 4
TIER_COUNTY = 3
TIER_AMBIGUOUS = 2
TIER_STATE = 1


class _Word(NamedTuple):
    at: int  # position in Message.tokens
    norm: str  # gazetteer-normalized (st -> saint when a name follows)
    typed: str  # as typed, for its capitals (lower case when the whole message is in capitals)


@dataclass(frozen=True)
class _Candidate:
    first: int  # token positions, inclusive
    last: int
    tier: int
    place: Place | None
    candidates: tuple[Place, ...]
    corrected: bool
    name: str  # the city name key, for picking among same-named cities
    negated: bool = False  # "not in Baltimore"


def find_place(
    message: Message, *, blocked: frozenset[int] = frozenset(), near: Place | None = None
) -> PlaceFound | None:
    """The place in a message; None when it names none.

    `blocked` are token positions that named a need or insurance ("Kaiser", "Rehab"): never a
    place on their own. `near` is the place the person gave before: it breaks ties.
    """
    gazetteer = load_gazetteer()
    candidates: list[_Candidate] = []
    for sentence in _sentences(gazetteer, message):
        candidates.extend(_zip_candidates(gazetteer, sentence))
        candidates.extend(_name_candidates(gazetteer, message, sentence, blocked))
    if not candidates:
        return find_misspelt_place(message, blocked)
    candidates = [c for c in _outermost(candidates) if not c.negated]
    if not candidates:
        return None
    # A state said with any place ("Maryland", "Cumberland, MD") picks among same-named towns.
    states = {c.place.state for c in candidates if c.place is not None}
    if near is not None and near.state:
        states.add(near.state)
    candidates = [_settle(gazetteer, c, states) for c in candidates]
    best = max(candidates, key=lambda c: (c.corrected, c.tier, c.last - c.first, -c.first))
    typed = message.typed(best.first, best.last)
    return PlaceFound(place=best.place, text=typed, candidates=best.candidates)


def _outermost(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop names inside a longer name: "Baltimore" within "Baltimore County"."""
    kept: list[_Candidate] = []
    reach, reach_span = -1, (-1, -1)  # the furthest end so far, and the span that reached it
    for candidate in sorted(candidates, key=lambda c: (c.first, -c.last)):
        span = (candidate.first, candidate.last)
        if candidate.last <= reach and span != reach_span:
            continue
        kept.append(candidate)
        if candidate.last > reach:
            reach, reach_span = candidate.last, span
    return kept


def _sentences(gazetteer: Gazetteer, message: Message) -> Iterable[list[_Word]]:
    # In a message typed all in capitals, capitals say nothing ("I NEED AN MD").
    shouting = not any(c.islower() for c in message.source)
    words: list[_Word] = []
    for index, token in enumerate(message.tokens):
        if token.norm in _SENTENCE_MARKS:
            if words:
                yield _expanded(gazetteer, words)
            words = []
        else:
            words.append(_Word(index, token.norm, token.norm if shouting else token.typed))
    if words:
        yield _expanded(gazetteer, words)


def _expanded(gazetteer: Gazetteer, words: list[_Word]) -> list[_Word]:
    """ "st marys co" -> "saint marys county", as the gazetteer spells names."""
    norms = [w.norm for w in words]
    expanded = expand_county_abbreviations(gazetteer, expand_abbreviations(norms))
    if expanded == norms:
        return words
    return [w._replace(norm=norm) for w, norm in zip(words, expanded, strict=True)]


def _zip_candidates(gazetteer: Gazetteer, sentence: list[_Word]) -> Iterable[_Candidate]:
    for position, word in enumerate(sentence):
        if len(word.norm) == 5 and word.norm.isdigit():
            record = gazetteer.zips.get(word.norm)
            if record is not None:
                place = zip_place(record)
                corrected = _is_correction(sentence, position)
                yield _Candidate(word.at, word.at, TIER_ZIP, place, (place,), corrected, "")


def _name_candidates(
    gazetteer: Gazetteer, message: Message, sentence: list[_Word], blocked: frozenset[int]
) -> Iterable[_Candidate]:
    norms = [w.norm for w in sentence]
    for start in range(len(sentence)):
        for size in range(min(MAX_NAME_WORDS, len(sentence) - start), 0, -1):
            name = " ".join(norms[start : start + size])
            if "," in name or not _is_known_name(gazetteer, name):
                continue
            candidate = _with_state(gazetteer, sentence, start, size, name)
            span = sentence[start : start + size]
            if candidate is None and (not _blocked(span, blocked) or _after_in(sentence, start)):
                candidate = _alone(gazetteer, message, sentence, start, size, name)
            if candidate is not None:
                yield replace(candidate, negated=_is_negated(sentence, start))


def _is_known_name(gazetteer: Gazetteer, name: str) -> bool:
    return (
        name in gazetteer.cities_by_name
        or name in gazetteer.aliases
        or name in gazetteer.state_names
        or name in gazetteer.state_codes
        or name in gazetteer.state_abbreviations
    )


def _with_state(
    gazetteer: Gazetteer, sentence: list[_Word], start: int, size: int, name: str
) -> _Candidate | None:
    """ "Cumberland, Maryland", "Newport News VA", "Kansas City, Kan.": city then its state."""
    after = start + size
    if after < len(sentence) and sentence[after].norm == ",":
        after += 1
    for state_size in (2, 1):
        state_words = sentence[after : after + state_size]
        if len(state_words) < state_size:
            continue
        state_text = " ".join(w.norm for w in state_words)
        code = gazetteer.state_names.get(state_text) or gazetteer.state_abbreviations.get(
            state_text
        )
        if code is None or gazetteer.cities.get((name, code)) is None:
            continue
        if not _believable_state_code(sentence, start + size, state_words):
            continue
        record = gazetteer.cities[(name, code)]
        place = city_place(record)
        corrected = _is_correction(sentence, start)
        last = state_words[-1].at
        return _Candidate(
            sentence[start].at, last, TIER_CITY_STATE, place, (place,), corrected, name
        )
    return None


def _believable_state_code(sentence: list[_Word], city_end: int, state_words: list[_Word]) -> bool:
    """A code that is also a word ("in", "or", "me") is a state only after a comma, typed in
    capitals, or at the end of the sentence: "Gary, IN", "Portland OR" - not "Salem in June"."""
    if len(state_words) > 1 or state_words[0].norm not in WORDLIKE_STATE_CODES:
        return True
    word = state_words[0]
    at_end = sentence[-1].at == word.at
    after_comma = city_end < len(sentence) and sentence[city_end].norm == ","
    return after_comma or word.typed.isupper() or at_end


def _alone(
    gazetteer: Gazetteer,
    message: Message,
    sentence: list[_Word],
    start: int,
    size: int,
    name: str,
) -> _Candidate | None:
    """A city, county, alias or state named without its state, when it is believable."""
    span = sentence[start : start + size]
    whole = _is_whole_answer(message, span)
    introduced = _introduced(sentence, start)
    if not whole and not _believable_alone(gazetteer, sentence, start, span, introduced):
        return None
    lookup = _resolve(gazetteer, name)
    if lookup.status == "unknown":
        return None
    corrected = _is_correction(sentence, start)
    first, last = span[0].at, span[-1].at
    if lookup.status == "ambiguous":
        return _Candidate(
            first, last, TIER_AMBIGUOUS, None, tuple(lookup.candidates), corrected, name
        )
    place = lookup.place
    assert place is not None
    tier = _tier(place, span)
    return _Candidate(first, last, tier, place, (place,), corrected, name)


def _resolve(gazetteer: Gazetteer, name: str) -> PlaceLookup:
    """resolve_place, and a state by its AP abbreviation ("n c", "calif"; not "in")."""
    lookup = resolve_place(name)
    code = gazetteer.state_abbreviations.get(name)
    if lookup.status == "unknown" and code is not None and name not in gazetteer.state_codes:
        place = state_place(gazetteer, gazetteer.states[code])
        return PlaceLookup(status="found", place=place, candidates=[place])
    return lookup


def _tier(place: Place, span: Sequence[_Word]) -> int:
    if place.kind == "state":
        return TIER_STATE
    if span[-1].norm in _COUNTY_WORDS:
        return TIER_COUNTY
    return TIER_CITY


def _believable_alone(
    gazetteer: Gazetteer, sentence: list[_Word], start: int, span: list[_Word], introduced: bool
) -> bool:
    """Inside a longer message, is this bare name a place? (See the module docstring.)"""
    norms = [w.norm for w in span]
    name = " ".join(norms)
    if name in gazetteer.state_codes:
        # "MD", "in WV": a bare USPS code, only when typed in capitals or introduced.
        return name not in WORDLIKE_STATE_CODES and (span[0].typed.isupper() or introduced)
    if name in gazetteer.state_names:
        return True
    if name in gazetteer.state_abbreviations and name not in gazetteer.cities_by_name:
        # "D.C.", "N.C." typed in capitals; "Calif." or "Penn." only when introduced.
        if len(span) > 1:
            return all(w.typed.isupper() for w in span)
        return start > 0 and sentence[start - 1].norm in STRONG_INTRODUCERS  # not "go to mass"
    if _names_a_person(sentence, start):
        return False
    if not introduced and start > 0 and sentence[start - 1].norm in DETERMINERS:
        return False  # "it's a battle ground", "my left hand", "the state line"
    if len(norms) == 1:
        word = norms[0]
        if len(word) < 3 or word in NEVER_A_PLACE_ALONE or word.isdigit():
            return False  # "hope", "home", "help": as in resolve_place
        if word in ORDINARY:
            return _after_in(sentence, start)  # "in Mobile", "from Reading"; not "my mobile"
        records = gazetteer.cities_by_name.get(name) or []
        notable = bool(records) and records[0].population is not None
        return introduced or notable or name in gazetteer.aliases
    if all(word in ORDINARY for word in norms):
        return introduced
    return True


def _names_a_person(sentence: list[_Word], start: int) -> bool:
    """ "my son Tyler", "a guy named Austin", "his name is Jackson"."""
    before = [w.norm for w in sentence[max(0, start - 2) : start]]
    if before and before[-1] in RELATION_WORDS | NAME_INTRODUCERS:
        return True
    return before[-2:] in (["name", "is"], ["names", "is"], ["name", "s"])


def _introduced(sentence: list[_Word], start: int) -> bool:
    """ "in Towson", "near the Hagerstown area", "from Cumberland"."""
    position = start - 1
    while position >= 0 and sentence[position].norm in {"the", ",", "el", "la", "los", "las"}:
        position -= 1
    return position >= 0 and sentence[position].norm in INTRODUCERS


def _after_in(sentence: list[_Word], start: int) -> bool:
    """ "I live in Anthem": a word that also names a plan or need is a place after "in"."""
    return start > 0 and sentence[start - 1].norm in STRONG_INTRODUCERS


def _is_whole_answer(message: Message, span: list[_Word]) -> bool:
    """The message is only this name, give or take filler ("I'm in Frostburg please")."""
    inside = {w.at for w in span}
    filler = LEADING_FILLER | TRAILING_FILLER | CORRECTION_WORDS
    return all(
        index in inside or token.is_mark or token.norm in filler
        for index, token in enumerate(message.tokens)
    )


def _is_negated(sentence: list[_Word], start: int) -> bool:
    """ "not Baltimore", "not in Baltimore", "no longer in Towson" (but "not far from Towson")."""
    before = [w.norm for w in sentence[max(0, start - 2) : start]]
    if before[-1:] == ["not"]:
        return True
    return len(before) == 2 and before[0] in {"not", "longer"} and before[1] in INTRODUCERS


def _is_correction(sentence: list[_Word], start: int) -> bool:
    return any(w.norm in CORRECTION_WORDS for w in sentence[max(0, start - 6) : start])


def _blocked(span: Sequence[_Word], blocked: frozenset[int]) -> bool:
    return any(w.at in blocked for w in span)


def _settle(gazetteer: Gazetteer, candidate: _Candidate, states: set[str | None]) -> _Candidate:
    """An ambiguous city becomes found when exactly one of its candidates is in a named state."""
    if candidate.tier != TIER_AMBIGUOUS or not candidate.name:
        return candidate
    matches = [gazetteer.cities.get((candidate.name, s)) for s in states if s]
    records = [r for r in matches if r is not None]
    if len(records) != 1:
        return candidate
    place = city_place(records[0])
    return _Candidate(
        candidate.first,
        candidate.last,
        TIER_CITY_STATE,
        place,
        (place,),
        candidate.corrected,
        candidate.name,
    )
