"""Meeting searches in the chat: what the person asked of a meeting, and the answer.

What a person asks of a meeting ("tonight", "online", "women's", "NA") may come in an
earlier message than the place ("any meetings tonight?" ... "21201"), so it is read from
the person's messages back to the one that named a need (later words win). Only searches
for `mutual_aid` use it; the directory answers them from resources_db/search/meetings.py.
No Rasa slot is added: the conversation's own messages are the memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import presenting
from actions.formatting import need_label
from resources_db.meeting_cards import type_list
from resources_db.understand import MeetingAsk, understand

MUTUAL_AID = "mutual_aid"
#: how many of the person's latest messages are read back at most
LOOK_BACK = 8
WHEN_TEXT = {
    "now": "starting soon",
    "today": "later today",
    "tonight": "tonight",
    "tomorrow": "tomorrow",
}
PART_TEXT = {"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night"}
NEXT_MORE = (
    'Ask me about any of them ("what\'s the address of the first one?"), say '
    '"more" to see more, or tell me if I got something wrong.'
)
NEXT_LAST = (
    'Ask me about any of them ("what\'s the address of the first one?"), or tell me '
    "if I got something wrong."
)
TYPE_WORDS = {
    "O": "open",
    "C": "closed",
    "S": "Spanish-speaking",
    "W": "women's",
    "M": "men's",
    "LGBTQ": "LGBTQ",
}


def _merge(older: MeetingAsk, newer: MeetingAsk) -> MeetingAsk:
    return MeetingAsk(
        when=newer.when or older.when,
        online=newer.online or older.online,
        types=tuple(dict.fromkeys([*older.types, *newer.types])),
        fellowship=newer.fellowship or older.fellowship,
    )


def meeting_ask(tracker: Tracker) -> MeetingAsk:
    """What the person's recent messages ask of a meeting, back to the last one naming a
    need (button payloads are skipped; they say nothing of this)."""
    asked = MeetingAsk()
    texts = [
        str(event.get("text") or "") for event in tracker.events if event.get("event") == "user"
    ][-LOOK_BACK:]
    for text in reversed(texts):
        if not text or text.startswith("/"):
            continue
        understood = understand(text)
        asked = _merge(understood.meeting, asked)
        if understood.needs:
            break
    return asked


def is_meeting_answer(need: str, ask: MeetingAsk, body: Mapping[str, Any]) -> bool:
    """Meeting results are told as meetings (next time, link); national lines are not."""
    scope = (body.get("query") or {}).get("scope")
    return need == MUTUAL_AID and (bool(ask) or scope == "radius")


def query_fields(ask: MeetingAsk) -> dict[str, Any]:
    """SearchQuery fields for a meeting search."""
    return {
        "when": ask.when,
        "online": ask.online,
        "meeting_types": list(ask.types),
        "fellowship": ask.fellowship,
    }


def when_text(key: str | None) -> str:
    """ "tonight", "tomorrow morning", "on Saturday"."""
    if not key:
        return ""
    day, _, part = key.partition("_")
    if day in WHEN_TEXT and not part:
        return WHEN_TEXT[day]
    day_text = day.capitalize() if day not in WHEN_TEXT else WHEN_TEXT[day]
    if day == "today":
        return f"this {PART_TEXT[part]}"
    prefix = "" if day == "tomorrow" else "on "
    return f"{prefix}{day_text} {PART_TEXT[part]}".strip() if part else f"on {day_text}"


def what_text(query: Mapping[str, Any]) -> str:
    """What was looked for: "online NA meetings", "open AA meetings" (else the need label)."""
    words = [TYPE_WORDS[t] for t in query.get("meeting_types") or [] if t in TYPE_WORDS]
    if query.get("online"):
        words.append("online")
    what = f"{query['fellowship']} meetings" if query.get("fellowship") else need_label(MUTUAL_AID)
    return " ".join([*words, what])


def card_line(position: int, card: Mapping[str, Any]) -> str:
    """ "1. Example Sunday Serenity, Tonight 6:00 PM, 0.8 miles" (online: the link)."""
    meeting = card.get("meeting") or {}
    parts = [f"{position}. {card.get('name') or 'A meeting'}"]
    if meeting.get("next"):
        parts.append(str(meeting["next"]))
    distance = card.get("distance_miles")
    if meeting.get("online"):
        parts.append("online" + (f": {card['website']}" if card.get("website") else ""))
        if card.get("phone"):
            parts.append(f"dial-in {card['phone']}")
    elif isinstance(distance, int | float):
        parts.append(f"{distance:.1f} miles")
    return ", ".join(parts)


def localized(cards: Sequence[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Cards whose meeting types are named in `language` (English where it has no name)."""
    result = []
    for card in cards:
        meeting = card.get("meeting")
        if isinstance(meeting, dict) and meeting.get("types"):
            codes = [t.get("code") for t in meeting["types"] if isinstance(t, dict)]
            meeting = {**meeting, "types": type_list([c for c in codes if c], language)}
            card = {**card, "meeting": meeting}
        result.append(card)
    return result


def intro(body: Mapping[str, Any], place: str | None) -> str:
    query = body.get("query") or {}
    what = what_text(query)
    when = when_text(query.get("when"))
    when = f" {when}" if when else ""
    if query.get("online"):
        return f"Here are {what}{when}. You can join these from anywhere:"
    if query.get("fellowship_relaxed"):
        what = what_text({**query, "fellowship": None})
        note = f" (the listings don't say which are {query.get('fellowship')})"
    else:
        note = ""
    if body.get("relaxed"):
        return (
            f"I didn't find {what}{when} close to {place or 'you'}, so I looked farther. "
            f"Here is what I found{note}:"
        )
    return f"Here are {what}{when} near {place or 'you'}{note}:"


def present(
    dispatcher: CollectingDispatcher,
    body: Mapping[str, Any],
    payload: Mapping[str, Any],
    place: str | None,
    language: str | None,
    first_page: bool = True,
) -> None:
    """A meeting answer: what was searched, the cards, the lines naming each next meeting."""
    cards = localized(list(payload.get("resources") or []), language or "en")
    offset = int((body.get("query") or {}).get("offset") or 0)
    lines = [intro(body, place)] + [card_line(offset + i + 1, c) for i, c in enumerate(cards)]
    dispatcher.utter_message(text="\n".join(lines))
    dispatcher.utter_message(json_message={**payload, "resources": cards})
    shown = offset + len(cards)
    more = int(body.get("total") or 0) > shown
    dispatcher.utter_message(text=NEXT_MORE if more else NEXT_LAST)


def send_nothing_found(
    dispatcher: CollectingDispatcher,
    ask: MeetingAsk,
    place: str | None,
    said: presenting.Said | None = None,
) -> None:
    """No meeting fits: say what was searched, then one national finder and a peer (each
    once an answer, as for other needs)."""
    said = said if said is not None else presenting.Said()
    query = query_fields(ask)
    when = when_text(ask.when)
    where = "" if ask.online else f" near {place or 'you'}"
    dispatcher.utter_message(
        text=f"I couldn't find {what_text(query)}{' ' + when if when else ''}{where} in my "
        "directory."
    )
    line = presenting.best_line(MUTUAL_AID)
    if line is not None:
        presenting.send_finder(dispatcher, line, None, said)
    presenting.offer_peer_once(dispatcher, said)
