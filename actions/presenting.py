"""One clear answer per search: what is searched, the cards, one line of next steps.

The widget renders messages in order, so a results answer is, in this order:
1. one sentence that says what was searched ("Looking for detox near Cumberland, MD, taking
   Medicaid") and where the results are: "near X" only when they are within the searched
   radius, else "the closest I found is 199 miles away in Secaucus, NJ";
2. the `resources` payload (contract §4): the cards, once;
3. a caution for listings last verified more than two years ago ("last verified 2017 —
   call to check"), national lines once and only when local results are thin, and one line
   of next steps.
When the directory has nothing local for the need (no card, or only national lines), the
answer is instead one plain sentence saying so, the single best national finder for that need
(its card, or its line when the directory has no card for it), and the peer offer. Within one
answer (several needs) a national line and the peer offer are never given twice (`Said`).
Wording lives in bot/domain/responses.yml; this module only picks responses and fills in
their variables.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions import formatting
from actions.understanding import TREATMENT, TREATMENT_NEEDS
from resources_db.national import line_by_key, national_lines

#: Fewer local results than this and the national lines are added.
THIN_RESULTS = 3
#: Listings whose last verification is older than this carry a caution.
STALE_AFTER = dt.timedelta(days=2 * 365)
PEER_BUTTON = {"title": "Talk to a peer", "payload": "/request_peer"}

#: How an insurance slot value reads after "taking ..." in the summary line.
INSURANCE_NAMES: dict[str, str] = {
    "medicaid": "Medicaid", "medicare": "Medicare", "private": "private insurance",
    "military": "TRICARE or VA", "sliding_fee": "a sliding fee",
}
#: The same in Spanish, for the responses' Spanish variations ({insurance_es}).
INSURANCE_NAMES_ES: dict[str, str] = {
    "medicaid": "Medicaid", "medicare": "Medicare", "private": "seguro privado",
    "military": "TRICARE o VA", "sliding_fee": "tarifa según ingresos",
}


@dataclass
class Said:
    """What one answer (one run of the search action) already gave the person."""

    #: names of the national lines given, as text or as a card
    lines: set[str] = field(default_factory=set)
    peer_offered: bool = False
    #: keep the peer offer for the end of the answer (`finish`), after every need
    defer_peer: bool = False
    peer_wanted: bool = False

    def finish(self, dispatcher: CollectingDispatcher) -> None:
        """End of the answer: the peer offer, if a need called for it and it was not made."""
        if self.peer_wanted:
            self.defer_peer = False
            offer_peer_once(dispatcher, self)


def plan_needs(need: str) -> list[str]:
    """Need keys to search for one need slot value (the broad search is "any of" four)."""
    return list(TREATMENT_NEEDS) if need == TREATMENT else [need]


def searching_for(need: str, place: str | None, insurance: str | None, **extra: Any
                  ) -> dict[str, Any]:
    """Variables every results sentence shares: what, where, which insurance (with `_es`
    twins that the responses' Spanish variations use)."""
    return {"need": formatting.need_label(need), "place": place or "you",
            "insurance": INSURANCE_NAMES.get(str(insurance), str(insurance or "")),
            "need_es": formatting.need_label(need, "es"), "place_es": place or "ti",
            "insurance_es": INSURANCE_NAMES_ES.get(str(insurance), str(insurance or "")),
            **extra}


def summary_response(prefix: str, insurance: str | None) -> str:
    """`utter_<prefix>`, `utter_<prefix>_insurance` or `utter_<prefix>_uninsured`."""
    if insurance in (None, "", "any"):
        return f"utter_{prefix}"
    if insurance == "none":
        return f"utter_{prefix}_uninsured"
    return f"utter_{prefix}_insurance"


def _place_of(card: Mapping[str, Any]) -> str:
    return ", ".join(str(p) for p in (card.get("city"), card.get("state")) if p) or "another area"


def send_intro(dispatcher: CollectingDispatcher, need: str, place: str | None,
               insurance: str | None, body: Mapping[str, Any]) -> None:
    """The sentence before the cards: what was searched and how far the results are."""
    cards = list(body.get("resources", []))
    query = body.get("query") or {}
    variables = searching_for(need, place, insurance)
    if body.get("relaxed") or query.get("scope") == "state":
        prefix = "results_far"
        first = cards[0]
        distance = first.get("distance_miles")
        variables["miles"] = f"{distance:.0f}" if isinstance(distance, int | float) else "?"
        variables["city"] = _place_of(first)
    else:
        prefix = "results_near"
    dispatcher.utter_message(response=summary_response(prefix, insurance), **variables)
    send_language_order(dispatcher, body)


def send_language_order(dispatcher: CollectingDispatcher, body: Mapping[str, Any]) -> None:
    """On a first page: say that places speaking Spanish come first, or that none of these
    says it does (search puts them first and never filters the rest out)."""
    query = body.get("query") or {}
    speaking, total = body.get("speaking_total"), int(body.get("total") or 0)
    if query.get("prefer_language") != "es" or speaking is None or query.get("offset"):
        return
    if speaking == 0:
        dispatcher.utter_message(response="utter_results_language_none")
    elif speaking < total:
        dispatcher.utter_message(response="utter_results_language_first", count=str(speaking),
                                 total=str(total))


def stale_listings(cards: Sequence[Mapping[str, Any]], today: dt.date | None = None
                   ) -> dict[int, list[str]]:
    """Names of listings last verified more than two years ago, by that year."""
    today = today or dt.date.today()
    stale: dict[int, list[str]] = defaultdict(list)
    for card in cards:
        try:
            verified = dt.date.fromisoformat(str(card.get("last_verified"))[:10])
        except ValueError:
            continue
        if today - verified > STALE_AFTER:
            stale[verified.year].append(str(card.get("name") or "One of them"))
    return dict(stale)


def send_stale_notes(dispatcher: CollectingDispatcher, cards: Sequence[Mapping[str, Any]],
                     today: dt.date | None = None) -> None:
    for year, names in sorted(stale_listings(cards, today).items()):
        dispatcher.utter_message(response="utter_results_stale", names=", ".join(names),
                                 year=str(year))


def lines_for(need: str) -> list[dict[str, Any]]:
    """National lines for a need; the SAMHSA helpline when none is specific to it."""
    lines = national_lines(plan_needs(need))
    if not lines:
        helpline = line_by_key("samhsa_helpline")
        lines = [helpline] if helpline else []
    return lines


def is_thin(body: Mapping[str, Any]) -> bool:
    return bool(body.get("relaxed")) or int(body.get("total") or 0) < THIN_RESULTS


def send_next_steps(dispatcher: CollectingDispatcher, body: Mapping[str, Any],
                    first_page: bool, said: Said | None = None) -> None:
    """National lines (first page, thin results only, none given yet), then next steps."""
    said = said if said is not None else Said()
    if first_page and is_thin(body):
        need = ((body.get("query") or {}).get("need") or [""])
        lines = [line for line in national_lines(need) or lines_for(TREATMENT)
                 if line.get("name") not in said.lines]
        if lines:
            dispatcher.utter_message(response="utter_results_national_lines",
                                     **formatting.lines_words(lines))
            said.lines.update(str(line.get("name")) for line in lines)
    shown = int((body.get("query") or {}).get("offset") or 0) + len(body.get("resources", []))
    more = int(body.get("total") or 0) > shown
    dispatcher.utter_message(response="utter_results_next" if more else "utter_results_next_last")


def present(dispatcher: CollectingDispatcher, need: str, place: str | None,
            insurance: str | None, body: Mapping[str, Any], payload: Mapping[str, Any],
            first_page: bool = True, said: Said | None = None) -> None:
    """Intro sentence, cards, cautions and next steps, in that order."""
    send_intro(dispatcher, need, place, insurance, body)
    dispatcher.utter_message(json_message=dict(payload))
    send_stale_notes(dispatcher, list(body.get("resources", [])))
    send_next_steps(dispatcher, body, first_page, said)


def nothing_local(body: Mapping[str, Any]) -> bool:
    """The search found no card, or only national lines (nothing local for the need)."""
    return not body.get("resources") or (body.get("query") or {}).get("scope") == "national"


def best_line(need: str) -> dict[str, Any] | None:
    """The single best national finder for a need: the first for it in national_resources.json
    (the SAMHSA helpline when none is specific to it)."""
    lines = lines_for(need)
    return lines[0] if lines else None


def finder_card(body: Mapping[str, Any], need: str) -> dict[str, Any] | None:
    """The directory's card for the need's best national line, if the search returned it."""
    line = best_line(need)
    if line is None or (body.get("query") or {}).get("scope") != "national":
        return None
    cards = body.get("resources") or []
    return next((card for card in cards if card.get("name") == line.get("name")), None)


def offer_peer_once(dispatcher: CollectingDispatcher, said: Said) -> None:
    """The peer offer, once an answer (at its end when `said.defer_peer`)."""
    said.peer_wanted = True
    if not said.peer_offered and not said.defer_peer:
        dispatcher.utter_message(response="utter_offer_peer")
        said.peer_offered = True


def send_nothing_local(dispatcher: CollectingDispatcher, need: str, place: str | None,
                       insurance: str | None, payload: Mapping[str, Any] | None,
                       said: Said | None = None) -> None:
    """Nothing local for the need: say so once, one national finder, a peer (each once).

    `payload` is the `resources` message holding the finder's card, or None when the
    directory returned no card for it (the line is then written out from the national list).
    """
    said = said if said is not None else Said()
    variables = searching_for(need, place, insurance)
    dispatcher.utter_message(response=summary_response("nothing_local", insurance), **variables)
    line = best_line(need)
    if line is not None:
        send_finder(dispatcher, line, payload, said)
    offer_peer_once(dispatcher, said)


def send_finder(dispatcher: CollectingDispatcher, line: Mapping[str, Any],
                payload: Mapping[str, Any] | None, said: Said) -> None:
    """One national finder: its card, else its line; "listed above" if already given."""
    name = str(line.get("name"))
    if name in said.lines:
        dispatcher.utter_message(response="utter_national_finder_again", name=name)
    elif payload is not None:
        dispatcher.utter_message(response="utter_national_finder")
        dispatcher.utter_message(json_message=dict(payload))
    else:
        dispatcher.utter_message(response="utter_national_finder_line",
                                 **formatting.lines_words([line]))
    said.lines.add(name)


def send_no_place(dispatcher: CollectingDispatcher, need: str | None) -> None:
    """No place after asking twice: national lines a person can call from anywhere, a peer."""
    lines = lines_for(need or TREATMENT)
    dispatcher.utter_message(response="utter_no_place_lines", **formatting.lines_words(lines))
    dispatcher.utter_message(response="utter_offer_peer")


def send_search_failed(dispatcher: CollectingDispatcher, need: str, reachable: bool,
                       said: Said | None = None) -> None:
    """The directory failed: say so plainly (never a trace) and give the national lines."""
    said = said if said is not None else Said()
    lines = [line for line in lines_for(need) if line.get("name") not in said.lines]
    if not lines:  # every line for this need was given earlier in this answer
        dispatcher.utter_message(response="utter_search_failed_again")
    else:
        dispatcher.utter_message(
            response="utter_search_failed" if reachable else "utter_directory_down",
            **formatting.lines_words(lines))
    said.lines.update(str(line.get("name")) for line in lines)
    offer_peer_once(dispatcher, said)
