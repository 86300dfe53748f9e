"""`action_search_resources`: search the directory for each need the person asked for.

For each need still to serve it sends one answer (actions/presenting.py): a sentence saying
what is searched and how far the results are, ONE `resources` custom payload (contract §4),
and a line of next steps; when nothing local fits, one national finder and a peer. Paging
and follow-up questions use the slots set here: `current_need`, `last_results`,
`shown_resources`, `results_offset`.

Where: a typed place is searched by its label, which the directory resolves to the place's
exact centroid; a shared location is searched from its coarse point (docs/privacy.md).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import formatting, meetings, presenting
from actions.base import NamedAction
from actions.forms import normalize_needs
from core.redaction import coarse_coordinate, coarse_label
from resources_db.db import session_scope
from resources_db.search import SearchError, SearchQuery, search
from resources_db.understand import MeetingAsk
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, POPULATIONS

logger = logging.getLogger(__name__)

#: Cards per page in the chat (the text summary names the first three).
PAGE_SIZE = 5
#: Insurance slot values that mean "do not filter by insurance".
NO_INSURANCE_FILTER = {None, "", "any"}


@dataclass(frozen=True)
class SearchPlan:
    """What to search, taken from the conversation's slots."""

    need: str
    lat: float | None
    lon: float | None
    place: str | None
    insurance: str | None
    population: str | None
    language: str | None
    offset: int = 0
    #: "shared" (a GPS point, searched from its coarse point) or "typed" (searched by label)
    place_source: str | None = None
    #: what a meeting search asks (when, online, types, fellowship): actions/meetings.py
    meeting: MeetingAsk = MeetingAsk()
    #: the language the person writes in (the chat_language slot): names of meeting types
    chat_language: str | None = None

    @property
    def has_place(self) -> bool:
        has_point = self.lat is not None and self.lon is not None
        return bool(self.place) or has_point or self.meeting.online

    @property
    def card_language(self) -> str:
        """The language of the words on the cards: the one the person writes in (before it
        is known, the one asked of services)."""
        return "es" if (self.chat_language or self.language) == "es" else "en"

    @property
    def prefer_language(self) -> str | None:
        """Services speaking this language come first: the one asked of services, else
        Spanish for a person who writes in Spanish. Never a filter (issue 17): a place that
        does not list the language may still be the nearest help."""
        return self.language or ("es" if self.chat_language == "es" else None)

    def to_query(self) -> SearchQuery:
        has_point = self.lat is not None and self.lon is not None
        use_point = has_point and (self.place_source == "shared" or not self.place)
        meeting = self.need == meetings.MUTUAL_AID
        return SearchQuery(
            needs=presenting.plan_needs(self.need),
            lat=self.lat if use_point else None,
            lon=self.lon if use_point else None,
            near=None if use_point else self.place,
            insurance=self.insurance,
            population=self.population,
            # meetings keep the language as a filter: a Spanish meeting is held in Spanish
            language=self.language if meeting else None,
            prefer_language=None if meeting else self.prefer_language,
            card_language=self.card_language,
            limit=PAGE_SIZE,
            offset=self.offset,
            **meetings.query_fields(self.meeting),
        )


def _float_or_none(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def pending_needs(tracker: Tracker) -> list[str]:
    """Needs still to serve; after everything was served, the last one (for corrections)."""
    # Two phrasings of one need ("get off dope ... detox") fill the slot twice: serve it once.
    needs = normalize_needs(tracker.get_slot("needs") or [])
    if needs:
        return needs
    current = tracker.get_slot("current_need")
    return [str(current)] if current else []


def known_value(value: Any, allowed: Collection[str], slot: str) -> str | None:
    """A slot value the directory understands, else None (the filter is left out).

    Slots are filled from NLU entities on every message, and an entity can be wrong
    ("been using for *years*" tagged as a population): a wrong preference must never turn
    a search into an error, it is only not applied.
    """
    if value is None or value == "":
        return None
    if str(value) in allowed:
        return str(value)
    logger.warning("ignoring a %s value the directory does not know", slot)  # no person text
    return None


def _is_language_code(value: str) -> bool:
    return len(value) == 2 and value.isalpha() and value.islower()


def _coarse_or_none(value: Any) -> float | None:
    number = _float_or_none(value)
    return None if number is None else coarse_coordinate(number)


def plan_from_slots(tracker: Tracker, need: str, offset: int = 0) -> SearchPlan:
    insurance = tracker.get_slot("insurance")
    language = tracker.get_slot("language")
    return SearchPlan(
        need=need,
        lat=_coarse_or_none(tracker.get_slot("lat")),
        lon=_coarse_or_none(tracker.get_slot("lon")),
        place=tracker.get_slot("location"),
        place_source=tracker.get_slot("place_source"),
        insurance=(
            None
            if insurance in NO_INSURANCE_FILTER
            else known_value(insurance, INSURANCE_QUERY_VALUES, "insurance")
        ),
        population=known_value(tracker.get_slot("population"), POPULATIONS, "population"),
        language=(
            str(language) if isinstance(language, str) and _is_language_code(language) else None
        ),
        offset=offset,
        meeting=meetings.meeting_ask(tracker) if need == meetings.MUTUAL_AID else MeetingAsk(),
        chat_language=tracker.get_slot("chat_language"),
    )


def run_search(plan: SearchPlan) -> dict[str, Any]:
    """Query the directory (local database only, never the network)."""
    with session_scope() as session:
        return search(session, plan.to_query())


async def search_directory(plan: SearchPlan) -> dict[str, Any]:
    """Run the blocking database search off the event loop."""
    return await asyncio.to_thread(run_search, plan)


def resources_payload(body: dict[str, Any]) -> dict[str, Any]:
    """The contract §4 `resources` custom payload for one search response.

    The echoed place is kept to a city or ZIP3 label: this payload is stored with the
    conversation (docs/privacy.md).
    """
    query = dict(body.get("query", {}))
    near = query.get("near")
    if isinstance(near, dict) and near.get("label"):
        query["near"] = {**near, "label": coarse_label(str(near["label"]))}
    return {
        "type": "resources",
        "query": query,
        "total": body.get("total", 0),
        "relaxed": bool(body.get("relaxed", False)),
        "resources": list(body.get("resources", [])),
    }


def present_results(dispatcher: CollectingDispatcher, plan: SearchPlan, body: dict[str, Any],
                    said: presenting.Said | None = None) -> list[dict[str, Any]]:
    """Send one results page; returns the cards sent (empty when nothing was found)."""
    cards: list[dict[str, Any]] = list(body.get("resources", []))
    if plan.meeting and not cards:
        meetings.send_nothing_found(dispatcher, plan.meeting, plan.place, said)
        return []
    label = _query_label(body) or plan.place
    if cards and meetings.is_meeting_answer(plan.need, plan.meeting, body):
        meetings.present(dispatcher, body, resources_payload(body), label,
                         first_page=plan.offset == 0)
        return cards
    if presenting.nothing_local(body):
        card = presenting.finder_card(body, plan.need)
        cards = [card] if card else []
        payload = resources_payload({**body, "resources": cards, "total": len(cards)})
        presenting.send_nothing_local(dispatcher, plan.need, label, plan.insurance,
                                      payload if card else None, said)
        return cards
    presenting.present(dispatcher, plan.need, label, plan.insurance, body,
                       resources_payload(body), first_page=plan.offset == 0, said=said)
    return cards


def _query_label(body: dict[str, Any]) -> str | None:
    near = body.get("query", {}).get("near")
    if isinstance(near, dict) and near.get("label"):
        return coarse_label(str(near["label"]))
    return None


def result_slots(need: str, plan: SearchPlan, body: dict[str, Any],
                 cards: Sequence[dict[str, Any]]) -> list[EventType]:
    """Slots that let the person page on and ask about what was shown."""
    return [
        SlotSet("current_need", need),
        SlotSet("last_results", [card.get("id") for card in cards]),
        SlotSet("shown_resources", [formatting.compact_card(card) for card in cards]),
        SlotSet("results_offset", float(plan.offset)),
        SlotSet("results_total", float(body.get("total", 0))),
    ]


async def search_and_present(dispatcher: CollectingDispatcher, plan: SearchPlan,
                             said: presenting.Said | None = None
                             ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """Search and send the answer; on a directory error say so plainly (never a trace)."""
    try:
        body = await search_directory(plan)
        if plan.meeting and not plan.meeting.online and not body.get("resources"):
            # No meeting fits what was asked ("NA meetings tonight"): when the directory has
            # no local meeting at all, answer as for any need with nothing local (a finder).
            plain = replace(plan, meeting=MeetingAsk())
            plain_body = await search_directory(plain)
            if presenting.nothing_local(plain_body):
                plan, body = plain, plain_body
    except SearchError as error:
        logger.warning("search rejected: %s", error.code)  # the message may quote the person
        if error.code in {"unknown_place", "ambiguous_place"}:
            dispatcher.utter_message(response="utter_place_not_found")
        else:
            presenting.send_search_failed(dispatcher, plan.need, reachable=True, said=said)
        return None, []
    except Exception:  # the person must get an answer even when the directory is down
        logger.exception("directory search failed")
        presenting.send_search_failed(dispatcher, plan.need, reachable=False, said=said)
        return None, []
    return body, present_results(dispatcher, plan, body, said)


class ActionSearchResources(NamedAction):
    """Search for every need still to serve, one results message each."""

    action_name = "action_search_resources"

    async def respond(self, dispatcher: CollectingDispatcher,
                      tracker: Tracker) -> list[EventType]:
        needs = pending_needs(tracker)
        if not needs:
            dispatcher.utter_message(response="utter_ask_needs")
            return []
        events: list[EventType] = []
        if not plan_from_slots(tracker, needs[0]).has_place:
            presenting.send_no_place(dispatcher, needs[0])
            return [SlotSet("current_need", needs[0])]
        said = presenting.Said(defer_peer=True)  # no national line or peer offer twice
        for position, need in enumerate(needs):
            if position > 0:
                dispatcher.utter_message(response="utter_next_need",
                                         need=formatting.need_label(need),
                                         need_es=formatting.need_label(need, "es"))
            plan = plan_from_slots(tracker, need)
            body, cards = await search_and_present(dispatcher, plan, said)
            if body is not None:
                events.extend(result_slots(need, plan, body, cards))
            else:
                events.append(SlotSet("current_need", need))
        said.finish(dispatcher)
        events.append(SlotSet("needs", None))
        return events
