"""Meeting searches in the chat: what the person asked of a meeting, and the answer.

What a person asks of a meeting ("tonight", "online", "women's", "NA") may come in an
earlier message than the place ("any meetings tonight?" ... "21201"), so it is read from
the person's messages back to the one that named a need (later words win). Only searches
for `mutual_aid` use it; the directory answers them from resources_db/search/meetings.py.
No Rasa slot is added: the conversation's own messages are the memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import meeting_words as words
from actions import presenting
from resources_db.understand import MeetingAsk, understand

MUTUAL_AID = words.MUTUAL_AID
#: how many of the person's latest messages are read back at most
LOOK_BACK = 8
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


def _what_when(query: Mapping[str, Any], fellowship_known: bool = True) -> dict[str, str]:
    """`what` and `when` (with its leading space) in both languages."""
    asked = query if fellowship_known else {**query, "fellowship": None}

    def when(language: str) -> str:
        text = words.when_text(query.get("when"), language)
        return f" {text}" if text else ""

    return {**words.words("what", lambda lang: words.what_text(asked, lang)),
            **words.words("when", when)}


def intro(body: Mapping[str, Any], place: str | None) -> tuple[str, dict[str, str]]:
    """The response that says what was searched, and its variables (without the lines)."""
    query = body.get("query") or {}
    if query.get("online"):
        return "utter_meetings_online", _what_when(query)
    relaxed = bool(query.get("fellowship_relaxed"))
    fellowship = str(query.get("fellowship") or "")
    variables = {
        **_what_when(query, fellowship_known=not relaxed),
        "place": place or "you",
        "place_es": place or "ti",
        "note": f" (the listings don't say which are {fellowship})" if relaxed else "",
        "note_es": f" (no dicen cuáles son de {fellowship})" if relaxed else "",
    }
    return ("utter_meetings_far" if body.get("relaxed") else "utter_meetings_near"), variables


def present(
    dispatcher: CollectingDispatcher,
    body: Mapping[str, Any],
    payload: Mapping[str, Any],
    place: str | None,
    first_page: bool = True,
) -> None:
    """A meeting answer: what was searched, the cards, the lines naming each next meeting."""
    cards = list(payload.get("resources") or [])
    offset = int((body.get("query") or {}).get("offset") or 0)
    response, variables = intro(body, place)
    lines = words.words("lines", lambda lang: "\n".join(
        words.card_line(offset + i + 1, card, lang) for i, card in enumerate(cards)))
    dispatcher.utter_message(response=response, **variables, **lines)
    dispatcher.utter_message(json_message={**payload, "resources": cards})
    shown = offset + len(cards)
    more = int(body.get("total") or 0) > shown
    dispatcher.utter_message(response="utter_meetings_next" if more else "utter_meetings_next_last")


def send_nothing_found(
    dispatcher: CollectingDispatcher,
    ask: MeetingAsk,
    place: str | None,
    said: presenting.Said | None = None,
) -> None:
    """No meeting fits: say what was searched, then one national finder and a peer (each
    once an answer, as for other needs)."""
    said = said if said is not None else presenting.Said()
    where = {"where": "", "where_es": ""} if ask.online else {
        "where": f" near {place or 'you'}", "where_es": f" cerca de {place or 'ti'}"}
    dispatcher.utter_message(response="utter_meetings_none", **_what_when(query_fields(ask)),
                             **where)
    line = presenting.best_line(MUTUAL_AID)
    if line is not None:
        presenting.send_finder(dispatcher, line, None, said)
    presenting.offer_peer_once(dispatcher, said)
