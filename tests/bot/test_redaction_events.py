"""Events as the tracker store keeps them: slot and entity values, fragments of identifying
details, numbers that are no numbers (issue 22, findings 4 and 5). Fictional data only.

The same behaviour is checked with Rasa's own classes in test_redaction_tracker_store.py (in
the Rasa environment); these run in-process, so mutation testing sees them.
"""

from __future__ import annotations

import math

import pytest

from core.redaction import (
    MAX_SAFE_INTEGER,
    coarse_coordinate,
    coarse_label,
    coarse_zip,
    coarsen,
    coordinate_or_none,
    finite,
    identifying_fragments,
    identifying_spans,
    redact_event,
)

TEXT = "I'm Jane Example, I stay at 4812 Example Road apt 4, call 410-555-0123"
FRAGMENTS = identifying_fragments([TEXT])


def user_event(text: str, entities: list[object]) -> dict[str, object]:
    return {"event": "user", "text": text, "parse_data": {
        "text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": entities}}


def slot(name: str, value: object, fragments: object = ()) -> object:
    return redact_event({"event": "slot", "name": name, "value": value}, fragments)["value"]  # type: ignore[arg-type]


def test_the_fragments_of_a_message_are_its_details() -> None:
    assert sorted(FRAGMENTS) == sorted([
        ("4812 example road apt 4", "[address]"), ("410-555-0123", "[phone]"),
        ("apt 4", "[address]"), ("jane example", "[name]")])
    assert identifying_fragments(["I need detox near Towson", None]) == []  # type: ignore[list-item]


@pytest.mark.parametrize(("name", "value", "stored"), [
    ("location_attempt", "Example Road", "[address]"),  # a piece of the address
    ("location", "near 4812 example road apt 4 please", "[address]"),  # holds the address
    ("population", "Jane", "[name]"),
    ("insurance", "555-0123", "[phone]"),
    ("needs", ["detox", "Jane Example"], ["detox", "[name]"]),
    ("insurance", "medicaid", "medicaid"),
    ("population", "", ""),
    ("location", "Towson, MD", "Towson, MD"),
])
def test_slots_repeating_a_detail_of_the_turn_are_its_placeholder(
    name: str, value: object, stored: object,
) -> None:
    assert slot(name, value, FRAGMENTS) == stored


def test_a_user_event_redacts_entities_that_repeat_a_detail() -> None:
    entities = [{"entity": "location", "value": "Example Road"},  # no offsets
                {"entity": "population", "value": "Jane"},
                {"entity": "location", "value": "Jane", "start": 4, "end": 8},
                {"entity": "insurance", "value": "medicaid"},
                "junk", 5]
    stored = redact_event(user_event(TEXT, entities))
    assert stored["text"] == "I'm [name], I stay at [address], call [phone]"
    assert [e["value"] for e in stored["parse_data"]["entities"]] == [
        "[address]", "[name]", "[name]", "medicaid"]
    assert "Jane" not in str(stored) and "4812" not in str(stored)


def test_name_spans_end_at_the_name() -> None:
    text = "I'm Jane And I need help"
    [(start, end, placeholder)] = identifying_spans(text)
    assert (text[start:end], placeholder) == ("Jane", "[name]")
    assert identifying_spans("I'm Tired") == []
    text = "hi, Jane Example here"
    [(start, end, _)] = identifying_spans(text)
    assert text[start:end] == "Jane Example"


@pytest.mark.parametrize(("value", "kept"), [
    (1.5, 1.5), (-0.0, -0.0), (True, True), (False, False), (None, None), ("1e308", "1e308"),
    (float("nan"), None), (float("inf"), None), (float("-inf"), None), (1e308, 1e308),
    (MAX_SAFE_INTEGER, MAX_SAFE_INTEGER), (-MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER),
    (MAX_SAFE_INTEGER + 1, None), (-(10 ** 400), None),
    ([1, float("nan"), {"a": float("inf"), "b": "x"}], [1, None, {"a": None, "b": "x"}]),
    ((1, 10 ** 20), [1, None]),
])
def test_numbers_that_are_no_sane_value_become_none(value: object, kept: object) -> None:
    assert finite(value) == kept


def test_any_event_keeps_no_infinite_number() -> None:
    bot = {"event": "bot", "text": "Call 988.", "data": {"custom": {"lat": float("nan")}}}
    assert redact_event(bot)["data"] == {"custom": {"lat": None}}
    user = user_event('/share_location{"lat": 1e308}', [
        {"entity": "lat", "value": 1e308}, {"entity": "lon", "value": "-76.60487"},
        {"entity": "lon", "value": 200}, {"entity": "insurance", "value": 1e999}])
    user["metadata"] = {"n": 10 ** 30}
    stored = redact_event(user)
    assert [e["value"] for e in stored["parse_data"]["entities"]] == [None, -76.6, None, None]
    assert stored["metadata"] == {"n": None} and stored["text"] == '/share_location{"lat": null}'


@pytest.mark.parametrize(("value", "limit", "coarse"), [
    (39.29041, 90, 39.3), ("39.29041", 90, 39.3), (90, 90, 90.0), (-90.0, 90, -90.0),
    (90.04, 90, None), (-180, 180, -180.0), (180.04, 180, None), (True, 90, None),
    ("north", 90, None), ([39.3], 90, None), (None, 90, None), ("1e400", 90, None),
    (10 ** 400, 180, None), (float("nan"), 180, None),
])
def test_coordinates_in_range_or_none(value: object, limit: float, coarse: object) -> None:
    assert coordinate_or_none(value, limit) == coarse


def test_coordinate_or_none_defaults_to_longitudes() -> None:
    assert coordinate_or_none(179.96) == 180.0 and coordinate_or_none(-180.5) is None


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 180.5, -181])
def test_coarse_coordinate_refuses_what_is_no_coordinate(bad: float) -> None:
    with pytest.raises(ValueError, match="not a coordinate"):
        coarse_coordinate(bad)


def test_coarse_coordinate_keeps_the_edges() -> None:
    assert coarse_coordinate(180) == 180.0 and coarse_coordinate(-180) == -180.0
    assert math.isclose(coarse_coordinate(0.04), 0.0) and coarse_coordinate(0.05) in (0.0, 0.1)


@pytest.mark.parametrize("typed", [
    "95.1234, -76.6048", "39.1234, 190.1234", "-91.0001 10.0001", "39.28, -76.60",
])
def test_number_pairs_that_are_no_coordinates_are_kept(typed: str) -> None:
    assert coarsen(typed) == typed


@pytest.mark.parametrize(("zip_code", "coarse"), [
    ("21201", "212xx"), ("21201-1234", "212xx"), (" 21201 ", "212xx"), ("2120", "2120"),
    ("abcde", "abcde"), ("212011", "212011"), ("21201-12", "21201-12"),
])
def test_coarse_zip(zip_code: str, coarse: str) -> None:
    assert coarse_zip(zip_code) == coarse


def test_a_label_that_is_only_a_zip_becomes_zip3() -> None:
    assert coarse_label("21201-1234") == "212xx"
    assert coarse_label("21201") == "212xx"


def test_name_spans_cover_repeated_words() -> None:
    text = "I'm Jo Jo"
    [(start, end, _)] = identifying_spans(text)
    assert text[start:end] == "Jo Jo"


def test_fragments_of_several_messages_are_all_kept() -> None:
    fragments = identifying_fragments(["call 410-555-0123", "I'm Jane Example"])
    assert sorted(fragments) == [("410-555-0123", "[phone]"), ("jane example", "[name]")]


def test_entities_inside_a_detail_by_their_offsets() -> None:
    text = "I'm Jane Example help"  # the name is at 4..16
    entities = [
        {"entity": "population", "value": "Someone", "start": 4, "end": 8},  # inside: gone
        {"entity": "population", "value": "greeting", "start": 0, "end": 4},  # ends at it
        {"entity": "population", "value": "helpful", "start": 16, "end": 21},  # starts at its end
        {"entity": "population", "value": "Someone", "start": 4},  # no end: no offsets
        {"entity": "lat", "value": 95.0}, {"entity": "lon", "value": 95.0},
    ]
    stored = redact_event(user_event(text, entities))
    assert [e["value"] for e in stored["parse_data"]["entities"]] == [
        "[name]", "greeting", "helpful", "Someone", None, 95.0]


def test_fragments_from_other_events_reach_entities() -> None:
    stored = redact_event(user_event("hi", [{"entity": "population", "value": "Jane"}]),
                          FRAGMENTS)
    assert stored["parse_data"]["entities"][0]["value"] == "[name]"
    event = user_event("I'm Jane Example", [{"entity": "location", "value": "Example Road"}])
    stored = redact_event(event, FRAGMENTS)
    assert stored["parse_data"]["entities"][0]["value"] == "[address]"


def test_parse_data_without_text_is_left_without_text() -> None:
    event = {"event": "user", "text": None,
             "parse_data": {"text": None, "entities": [{"entity": "x", "value": "Jane"}]}}
    stored = redact_event(event)
    assert stored["text"] is None and stored["parse_data"]["text"] is None
    assert stored["parse_data"]["entities"] == [{"entity": "x", "value": "Jane"}]


@pytest.mark.parametrize(("name", "value", "stored"), [
    ("location", float("inf"), None), ("location", ["Jane", 5], ["[name]", 5]),
    ("population", {"who": "Jane", "n": float("nan"), "k": 3},
     {"who": "[name]", "n": None, "k": 3}),
    ("population", 5, 5), ("population", ("Jane",), ["[name]"]),
])
def test_structured_slot_values_are_cleaned(name: str, value: object, stored: object) -> None:
    assert slot(name, value, FRAGMENTS) == stored


@pytest.mark.parametrize(("typed", "stored"), [
    ("90.5000, -76.6048", "90.5000, -76.6048"), ("39.1234, 180.5000", "39.1234, 180.5000"),
    ("89.96, 1", "89.96, 1"), ("89.9612, 179.9612", "90.0, 180.0"),
])
def test_coordinate_pairs_only_within_range(typed: str, stored: str) -> None:
    assert coarsen(typed) == stored


def test_a_long_name_keeps_what_follows() -> None:
    from core.redaction import redact

    assert redact("my name is jordan and towson too") == "my name is [name] and towson too"
