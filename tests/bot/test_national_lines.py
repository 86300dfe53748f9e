"""National lines: only numbers from the seed file, in the contract's shape."""

from __future__ import annotations

import json

import pytest

from core.crisis import CRISIS_KINDS
from resources_db.national import (
    NATIONAL_RESOURCES_PATH,
    crisis_lines,
    line_by_key,
    national_lines,
)

SEED = json.loads(NATIONAL_RESOURCES_PATH.read_text(encoding="utf-8"))["resources"]
SEED_PHONES = {entry["phone"] for entry in SEED if "phone" in entry}
SEED_TEXTS = {entry["text"] for entry in SEED if "text" in entry}
SEED_NAMES = {entry["name"] for entry in SEED}


@pytest.mark.parametrize("kind", CRISIS_KINDS)
def test_crisis_lines_use_only_numbers_from_the_seed_file(kind: str) -> None:
    lines = crisis_lines(kind)
    assert lines
    for line in lines:
        assert set(line) == {"name", "phone", "text"}
        assert line["name"] in SEED_NAMES
        assert line["phone"] is None or line["phone"] in SEED_PHONES
        assert line["text"] is None or line["text"] in SEED_TEXTS
        assert line["phone"] or line["text"], f"{line['name']} gives no way to reach it"


def test_crisis_lines_put_the_most_urgent_first() -> None:
    assert crisis_lines("overdose")[0]["phone"] == "911"
    assert crisis_lines("danger")[0]["phone"] == "911"
    assert crisis_lines("suicide")[0]["phone"] == "988"
    assert crisis_lines("suicide")[0]["text"] == "988"


def test_each_kind_lists_its_specialist_line() -> None:
    assert "Poison Control" in [line["name"] for line in crisis_lines("overdose")]
    assert "Crisis Text Line" in [line["name"] for line in crisis_lines("suicide")]
    danger_names = [line["name"] for line in crisis_lines("danger")]
    assert "National Domestic Violence Hotline" in danger_names


def test_a_text_only_line_has_no_phone() -> None:
    text_line = next(line for line in crisis_lines("suicide") if line["name"] == "Crisis Text Line")
    assert text_line == {"name": "Crisis Text Line", "phone": None, "text": "Text HOME to 741741"}


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown crisis kind"):
        crisis_lines("sadness")


def test_national_lines_filters_by_category_in_file_order() -> None:
    crisis = national_lines(["crisis"])
    expected = [entry["key"] for entry in SEED if "crisis" in entry["categories"]]
    assert [entry["key"] for entry in crisis] == expected
    assert len(national_lines()) == len(SEED)
    assert {e["key"] for e in national_lines(["mutual_aid", "insurance"])} == {
        e["key"] for e in SEED if {"mutual_aid", "insurance"} & set(e["categories"])
    }
    assert national_lines([]) == []


def test_callers_cannot_change_the_cached_entries() -> None:
    national_lines(["crisis"])[0]["phone"] = "000"
    entry = line_by_key("emergency")
    assert entry is not None
    entry["phone"] = "000"
    assert crisis_lines("overdose")[0]["phone"] == "911"


def test_line_by_key() -> None:
    entry = line_by_key("988")
    assert entry is not None and entry["name"] == "988 Suicide & Crisis Lifeline"
    assert line_by_key("no-such-key") is None
