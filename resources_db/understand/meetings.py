"""What a person asks of a meeting: online ("zoom meetings", "virtual NA meeting"), its
types ("open AA meeting", "women's meeting", "reunión en español") as Meeting Guide codes,
its fellowship (AA or NA), and when (`when.find_when`).

Reads normalized text (understand.text). Only meeting searches use these; a type needs its
meeting word next to it where the word alone means something else ("open" is also "open
now", so only "open meeting" / "open AA meeting" is the type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resources_db.understand.when import find_when

_MEETING = r"(?:(?:aa|na|ca|12 step|recovery|support) )?(?:meetings?|groups?)"
_ONLINE = re.compile(
    r"\b(online|on line|zoom|virtual|virtually|video|remote|by phone|phone meetings?"
    r"|en linea|por internet|por zoom|virtuale?s?)\b"
)
#: Meeting Guide type code -> words that ask for it
_TYPES = (
    ("O", re.compile(rf"\bopen {_MEETING}\b|\babiertas?\b")),
    ("C", re.compile(rf"\bclosed {_MEETING}\b|\bcerradas?\b")),
    ("S", re.compile(r"\b(spanish|espanol|spanish speaking|hispanohablantes?)\b")),
    ("W", re.compile(r"\b(womens?|woman|ladies|female|mujeres)\b")),
    ("M", re.compile(r"\b(mens|men|male|hombres|caballeros)\b")),
    ("LGBTQ", re.compile(r"\b(lgbt\w*|gay|lesbians?|queer|trans|transgender|bisexual)\b")),
)
_FELLOWSHIPS = (
    ("AA", re.compile(r"\b(aa|alcoholics anonymous|alcoholicos anonimos)\b")),
    ("NA", re.compile(r"\b(na|narcotics anonymous|narcoticos anonimos)\b")),
)


@dataclass(frozen=True)
class MeetingAsk:
    """A meeting search's wishes; empty fields mean "not said"."""

    when: str | None = None
    online: bool = False
    types: tuple[str, ...] = ()
    fellowship: str | None = None

    def __bool__(self) -> bool:
        return bool(self.when or self.online or self.types or self.fellowship)


def find_meeting_ask(text: str) -> MeetingAsk:
    """The meeting wishes in normalized `text` (a fellowship only when one alone is named)."""
    fellowships = [key for key, words in _FELLOWSHIPS if words.search(text)]
    return MeetingAsk(
        when=find_when(text),
        online=bool(_ONLINE.search(text)),
        types=tuple(code for code, words in _TYPES if words.search(text)),
        fellowship=fellowships[0] if len(fellowships) == 1 else None,
    )
