"""When the directory has nothing local for a need: say so once, one national finder, a peer.

These run the real search on the fictional fixture directory plus the real national lines
(resources_db/seed/national_resources.json), from a point in Texas where the fixture has
nothing: the search falls back to the national lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from actions.search import ActionSearchResources
from resources_db.db import session_scope
from resources_db.importers import national_lines
from resources_db.importers.writer import import_records
from resources_db.national import line_by_key
from tests.actions.helpers import make_tracker, payloads, rendered, response_names, run_action

AUSTIN = {
    "location": "Austin, TX",
    "lat": 30.27,
    "lon": -97.74,
    "place_source": "shared",
    "insurance": None,
}
URL = re.compile(r"https?://[^\s,)]+")


@pytest.fixture
def directory_with_national_lines(
    directory_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with session_scope(directory_url) as session:
        summary = import_records(session, national_lines.SOURCE, national_lines.parse())
        assert not summary.errors, summary.text()
    monkeypatch.setenv("RN_DATABASE_URL", directory_url)
    yield directory_url


def everything_shown(messages: list[dict[str, Any]]) -> str:
    """The text a person reads plus every card's name, phone and website."""
    cards = [card for payload in payloads(messages, "resources") for card in payload["resources"]]
    parts = [rendered(messages)]
    parts += [
        " ".join(str(card.get(k) or "") for k in ("name", "phone", "website")) for card in cards
    ]
    return "\n".join(parts)


def links(messages: list[dict[str, Any]]) -> list[str]:
    return [url.rstrip("/.") for url in URL.findall(everything_shown(messages))]


def peer_offers(messages: list[dict[str, Any]]) -> int:
    """The peer offer (utter_offer_peer carries the "Talk to a peer" button)."""
    return response_names(messages).count("utter_offer_peer")


async def ask(needs: list[str]) -> list[dict[str, Any]]:
    messages, _ = await run_action(
        ActionSearchResources(), make_tracker({"needs": needs, **AUSTIN})
    )
    return messages


async def test_recovery_community_with_nothing_local(directory_with_national_lines: str) -> None:
    messages = await ask(["recovery_community"])
    finder = line_by_key("rco_directory")
    assert finder is not None
    assert links(messages) == [finder["website"]]  # one national finder, once
    reply = rendered(messages)
    assert reply.count("nothing near Austin, TX") == 1
    assert "recovery community centers" in reply
    assert peer_offers(messages) == 1


async def test_meetings_get_one_finder_not_three(directory_with_national_lines: str) -> None:
    messages = await ask(["mutual_aid"])
    assert len(links(messages)) == 1
    assert peer_offers(messages) == 1


async def test_two_needs_never_repeat_a_line_or_the_peer_offer(
    directory_with_national_lines: str,
) -> None:
    # 211 is the national line for both housing and rides: it is given once in the answer.
    messages = await ask(["housing", "transportation"])
    shown = everything_shown(messages)
    assert shown.count("https://www.211.org") == 1
    assert rendered(messages).count("nothing near Austin, TX") == 2
    assert peer_offers(messages) == 1
    assert response_names(messages)[-1] == "utter_offer_peer"  # after both needs, once
    assert "utter_results_next_last" not in response_names(messages)  # no "ask about them"


async def test_no_national_line_in_the_database_still_gives_one_finder(
    monkeypatched_directory: str,
) -> None:
    # The fixture directory alone has no national lines: the answer comes from the file.
    messages = await ask(["mutual_aid"])
    assert len(links(messages)) == 1
    assert rendered(messages).count("nothing near Austin, TX") == 1
    assert peer_offers(messages) == 1


async def test_a_directory_down_for_two_needs_gives_each_line_and_the_peer_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def down(plan: object) -> dict[str, Any]:
        raise OSError("directory unreachable")

    monkeypatch.setattr("actions.search.run_search", down)
    messages = await ask(["housing", "transportation"])
    assert rendered(messages).count("https://www.211.org") == 1
    assert response_names(messages).count("utter_search_failed_again") == 1
    assert peer_offers(messages) == 1


async def test_a_family_asking_for_naloxone_gets_each_line_and_the_peer_once(
    directory_with_national_lines: str,
) -> None:
    from actions.family import ActionFamilySupport

    tracker = make_tracker(
        {**AUSTIN, "location_checked": "Austin, TX"}, "my son is using, what do I do", "family"
    )
    messages, _ = await run_action(ActionFamilySupport(), tracker)
    never_use_alone = line_by_key("never_use_alone")
    assert never_use_alone is not None
    assert everything_shown(messages).count(never_use_alone["phone"]) == 1
    assert peer_offers(messages) == 1


@pytest.mark.parametrize(
    ("insurance", "words"),
    [("medicaid", "taking Medicaid"), ("none", "that serves people without insurance")],
)
async def test_the_sentence_names_the_insurance_asked_for(
    directory_with_national_lines: str, insurance: str, words: str
) -> None:
    messages, _ = await run_action(
        ActionSearchResources(),
        make_tracker({"needs": ["mutual_aid"], **AUSTIN, "insurance": insurance}),
    )
    assert rendered(messages).startswith(
        f"My directory has nothing near Austin, TX for recovery meetings {words}."
    )


async def test_a_meeting_asked_by_fellowship_where_there_are_none_gets_the_finder_card(
    directory_with_national_lines: str,
) -> None:
    """'NA meetings near Austin' with no local meeting feed: the filtered meeting search finds
    nothing, so the answer is the nothing-local one, with the meeting finder as a card."""
    tracker = make_tracker({**AUSTIN, "needs": ["mutual_aid"]}, text="any NA meetings near austin")
    messages, _ = await run_action(ActionSearchResources(), tracker)
    [payload] = payloads(messages, "resources")
    assert [card["name"] for card in payload["resources"]] == [
        line_by_key("na_meetings")["name"]]  # type: ignore[index]
    assert "utter_nothing_local" in response_names(messages)
    assert response_names(messages).count("utter_offer_peer") == 1
