"""What a person's whole message says: needs, place, insurance, who it is for.

The NLU model tags spans; this reads the whole text against the product's own vocabulary and
gazetteer, so misspellings, brand names, indirect needs and multi-word places are understood
even when the model's spans are missing or split. The action server uses it on every turn.

`understand(text) -> Understood`. The words live in `resources_db/need_words.yml`; the
pieces: `text` (normalizing), `vocabulary` (the compiled word file), `needs`, `signals`
(insurance, someone else, a human), `places` (the place finder over the gazetteer).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from resources_db.gazetteer import load_gazetteer
from resources_db.geocode import Place
from resources_db.understand.meetings import MeetingAsk, find_meeting_ask
from resources_db.understand.needs import find_needs
from resources_db.understand.places import find_place
from resources_db.understand.signals import find_insurance, is_for_someone_else, wants_human
from resources_db.understand.text import read_message, token_positions
from resources_db.understand.vocabulary import load_vocabulary

__all__ = ["MeetingAsk", "Understood", "preload", "understand"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Understood:
    """What one message says. Empty fields mean "not said", never "no"."""

    #: Need keys (resources_db.vocabulary.NEEDS) in the order the message names them.
    needs: tuple[str, ...] = ()
    #: The place the message names, resolved from its exact centroid (not coarsened).
    place: Place | None = None
    #: The words that named the place, as typed ("Cumberland, Maryland").
    place_text: str | None = None
    #: When the place is ambiguous: the candidates, most populous first (place is None).
    place_candidates: tuple[Place, ...] = field(default_factory=tuple)
    #: An insurance answer: one of INSURANCE_QUERY_VALUES, or "any" when the person skips.
    insurance: str | None = None
    #: The person asks for someone else (a son, a friend, a partner).
    for_someone_else: bool = False
    #: The person asks, in so many words, for a human ("get me a real person").
    wants_human: bool = False
    #: Only a generic "treatment" / "rehab" / "help with my using" was named: search the
    #: treatment needs together (detox, moud, outpatient, residential: the search's "any of").
    broad_treatment: bool = False
    #: What a meeting search asks: when, online, types, fellowship (understand.meetings).
    meeting: MeetingAsk = field(default_factory=MeetingAsk)


def understand(text: str, *, near: Place | None = None) -> Understood:
    """Read one message. Never raises; any text (empty, emoji, 2,000 characters) is fine.

    `near` (optional) is the place the person gave earlier in the conversation: among
    same-named towns, the one in its state is meant ("actually I'm in Frostburg").
    """
    try:
        return _understand(text if isinstance(text, str) else "", near)
    except Exception:  # a reader bug must never cost the person their turn
        logger.exception("understand() failed; answering with nothing understood")
        return Understood()


def preload() -> None:
    """Load the gazetteer and the word file now (about 0.3 s) rather than on the first turn."""
    load_vocabulary()
    load_gazetteer()


def _understand(text: str, near: Place | None) -> Understood:
    message = read_message(text)
    if not message.tokens:
        return Understood()
    vocabulary = load_vocabulary()
    normalized = message.text
    needs = find_needs(normalized, vocabulary)
    # Words that named a need or a plan ("Rehab", "Anthem") are not also a place.
    named = needs.spans + tuple((a, b) for a, b, _ in vocabulary.insurance_terms.find(normalized))
    place = find_place(message, blocked=token_positions(message, named), near=near)
    return Understood(
        needs=needs.needs,
        place=place.place if place else None,
        place_text=place.text if place else None,
        place_candidates=place.candidates if place and place.place is None else (),
        insurance=find_insurance(normalized, vocabulary, need_spans=needs.spans),
        for_someone_else=is_for_someone_else(normalized, vocabulary),
        wants_human=wants_human(normalized, vocabulary),
        broad_treatment=needs.broad_treatment,
        meeting=find_meeting_ask(normalized),
    )

