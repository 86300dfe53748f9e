"""What a person's whole message says: needs, place, insurance, who it is for.

The NLU model tags spans; this reads the whole text against the product's own vocabulary and
gazetteer, so misspellings, brand names, indirect needs and multi-word places are understood
even when the model's spans are missing or split. The action server uses it on every turn.

Interface (stable; the implementation is being filled in):
`understand(text) -> Understood`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resources_db.geocode import Place


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


def understand(text: str) -> Understood:
    """Read one message. Never raises; any text (empty, emoji, 2,000 characters) is fine."""
    return Understood()
