"""A card's `offers` are said in the text answer, in the card's own words."""

from __future__ import annotations

from actions.formatting import card_line, results_summary
from tests.actions.test_search_action import card


def test_the_text_line_says_what_else_a_place_offers() -> None:
    offering = {**card(1, "detox"), "offers": ["help with transportation", "peer support"]}
    line = card_line(1, offering)
    assert line.endswith("also offers help with transportation, peer support")
    assert "help with transportation" in results_summary("detox", "Charlottesville, VA", [offering])


def test_a_card_without_offers_says_nothing_about_them() -> None:
    assert "offers" not in card_line(1, {**card(2, "detox"), "offers": []})
    assert "offers" not in card_line(1, card(3, "detox"))  # a card from before `offers`
