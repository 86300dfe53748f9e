"""The rule that offers people who write in Spanish to the peers who speak it first
(web/language_offer.py): who sees whom, in which order, and that nobody is hidden from every
peer. Pure functions on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from web.handoff import QueueEntry
from web.language_offer import next_change, queue_frame, view_for, visible_to

START = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
GRACE = 60
SPANISH, ENGLISH_ONLY = ("es",), ()


def entry(n: int, language: str | None = None, crisis: str | None = None,
          waited: int = 10) -> QueueEntry:
    return QueueEntry(f"example-conversation-{n:04d}", n, START - timedelta(seconds=waited),
                      {"needs": ["detox"]}, crisis, language)


def ids(frame: dict[str, object]) -> list[str]:
    return [str(item["conversation_id"]) for item in frame["items"]]  # type: ignore[attr-defined]


def line() -> list[QueueEntry]:
    """Two people who write in English, then one who writes in Spanish, in the shared line."""
    return [entry(1, "en", waited=50), entry(2, None, waited=40), entry(3, "es", waited=5)]


def test_a_peer_who_speaks_spanish_gets_the_spanish_writer_first_and_marked() -> None:
    frame = queue_frame(line(), frozenset({"es"}), GRACE, now=START)
    mine = view_for(frame, SPANISH, now=START)
    assert ids(mine)[0] == "example-conversation-0003"
    first = mine["items"][0]
    assert first["language_match"] is True and first["language"] == "es"
    # their place in the shared line stays what the person is told
    assert [i["position"] for i in mine["items"]] == [3, 1, 2]
    assert not any(i["language_match"] for i in mine["items"][1:])


def test_other_peers_see_the_spanish_writer_only_after_the_grace_period() -> None:
    frame = queue_frame(line(), frozenset({"es"}), GRACE, now=START)
    assert ids(view_for(frame, ENGLISH_ONLY, now=START)) == [
        "example-conversation-0001", "example-conversation-0002"]
    waiting_began = START - timedelta(seconds=5)
    just_before = waiting_began + timedelta(seconds=GRACE - 1)
    assert "example-conversation-0003" not in ids(view_for(frame, ENGLISH_ONLY, just_before))
    after = view_for(frame, ENGLISH_ONLY, waiting_began + timedelta(seconds=GRACE))
    # then in their place in the shared line, unmarked for this peer
    assert ids(after) == ["example-conversation-0001", "example-conversation-0002",
                          "example-conversation-0003"]
    assert after["items"][2]["language_match"] is False
    assert after["items"][2]["waited_seconds"] == GRACE
    assert next_change(frame, START) == waiting_began + timedelta(seconds=GRACE)


def test_with_no_spanish_speaking_peer_available_everyone_sees_it_at_once() -> None:
    frame = queue_frame(line(), frozenset(), GRACE, now=START)
    assert [item["offer"] for item in frame["items"]] == [None, None, None]
    assert ids(view_for(frame, ENGLISH_ONLY, START)) == [
        "example-conversation-0001", "example-conversation-0002", "example-conversation-0003"]
    assert next_change(frame, START) is None


def test_a_crisis_is_shown_to_every_peer_at_once_and_first() -> None:
    entries = [entry(1, "es", crisis="overdose", waited=1), entry(2, "en", waited=90),
               entry(3, "es", waited=30)]
    frame = queue_frame(entries, frozenset({"es"}), GRACE, now=START)
    assert frame["items"][0]["offer"] is None
    english = view_for(frame, ENGLISH_ONLY, START)
    assert ids(english) == ["example-conversation-0001", "example-conversation-0002"]
    assert english["items"][0]["urgent"] is True
    spanish = view_for(frame, SPANISH, START)
    # urgent first even for a peer who speaks Spanish, then the Spanish writer, then the rest
    assert ids(spanish) == ["example-conversation-0001", "example-conversation-0003",
                            "example-conversation-0002"]


def test_people_who_write_in_english_are_offered_to_everyone() -> None:
    frame = queue_frame([entry(1, "en"), entry(2, None)], frozenset({"es"}), GRACE, START)
    assert all(item["offer"] is None for item in frame["items"])
    assert not any(i["language_match"] for i in view_for(frame, SPANISH, START)["items"])


def test_a_grace_of_zero_offers_nobody_first_in_time_but_keeps_the_order() -> None:
    frame = queue_frame(line(), frozenset({"es"}), 0, now=START)
    assert len(view_for(frame, ENGLISH_ONLY, START)["items"]) == 3
    assert ids(view_for(frame, SPANISH, START))[0] == "example-conversation-0003"


@pytest.mark.parametrize("seconds_in", [0, 30, 59, 60, 61, 600])
def test_nobody_waiting_is_ever_hidden_from_every_available_peer(seconds_in: int) -> None:
    """Whatever the languages, crises and peers on duty: every entry is visible to some
    peer on duty. While an offer stands, a peer who speaks its language is on duty."""
    now = START + timedelta(seconds=seconds_in)
    for languages, crises, on_duty in product(
        product(["en", "es", None], repeat=3), product([None, "suicide"], repeat=3),
        [(ENGLISH_ONLY,), (SPANISH,), (ENGLISH_ONLY, SPANISH)],
    ):
        entries = [entry(n + 1, languages[n], crises[n], waited=n * 20) for n in range(3)]
        available = frozenset(code for peer in on_duty for code in peer)
        frame = queue_frame(entries, available, GRACE, now=START)
        for item in frame["items"]:
            assert any(visible_to(item, peer, now) for peer in on_duty), (item, on_duty)


def test_the_grace_period_is_read_from_the_environment_and_bounded() -> None:
    from web.config import ConfigError, WebConfig

    assert WebConfig.from_env({}).language_match_seconds == 60
    assert WebConfig.from_env({"RN_LANGUAGE_MATCH_SECONDS": "0"}).language_match_seconds == 0
    # every peer must see a waiting person before they are told nobody could join
    for too_long in ({"RN_LANGUAGE_MATCH_SECONDS": "-1"},
                     {"RN_LANGUAGE_MATCH_SECONDS": "200", "RN_HANDOFF_TIMEOUT_SECONDS": "180"}):
        with pytest.raises(ConfigError, match="RN_LANGUAGE_MATCH_SECONDS"):
            WebConfig.from_env(too_long)
