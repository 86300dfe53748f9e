"""understand(): needs, broad treatment, insurance, someone else, a human, bad input.

Places are in test_understand_places.py. What people write, and what must be read in it, is
in understand_phrasings.yml beside this file: phrasings written the way people type on a
phone (typos, brand and street names, indirect situations, no punctuation).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from resources_db.understand import Understood, _understand, preload, understand
from resources_db.understand.vocabulary import load_vocabulary
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS

PHRASINGS: dict[str, list[Any]] = yaml.safe_load(
    Path(__file__).with_name("understand_phrasings.yml").read_text(encoding="utf-8")
)


def with_needs(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """The (message, need keys in the order named) cases of a part of the phrasings."""
    return [(text, tuple(needs)) for text, needs in PHRASINGS[name]]


NEED_CASES = with_needs("needs")
INSURANCE_CASES: list[tuple[str, str]] = [(text, value) for text, value in PHRASINGS["insurance"]]


# --- needs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "needs"), NEED_CASES)
def test_needs_named_in_many_ways(text: str, needs: tuple[str, ...]) -> None:
    result = understand(text)
    assert result.needs == needs, text
    assert not result.broad_treatment


def test_every_need_key_is_a_contract_need() -> None:
    for _text, needs in NEED_CASES:
        assert set(needs) <= set(NEEDS)


@pytest.mark.parametrize("text", PHRASINGS["not_needs"])
def test_ordinary_words_are_not_needs(text: str) -> None:
    result = understand(text)
    assert result.needs == (), text
    assert not result.broad_treatment, text


# --- a generic ask for treatment ------------------------------------------------------------


@pytest.mark.parametrize("text", PHRASINGS["broad"])
def test_generic_treatment_is_broad(text: str) -> None:
    result = understand(text)
    assert result.needs == (), text
    assert result.broad_treatment, text


@pytest.mark.parametrize(("text", "needs"), with_needs("specific_over_broad"))
def test_a_specific_need_wins_over_generic_treatment(text: str, needs: tuple[str, ...]) -> None:
    result = understand(text)
    assert result.needs == needs
    assert not result.broad_treatment


# --- insurance ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "insurance"), INSURANCE_CASES)
def test_insurance_answers(text: str, insurance: str) -> None:
    assert understand(text).insurance == insurance, text


@pytest.mark.parametrize("text", PHRASINGS["not_insurance"])
def test_no_insurance_answer_inside_ordinary_sentences(text: str) -> None:
    assert understand(text).insurance is None, text


def test_insurance_values_are_contract_values() -> None:
    values = {value for _text, value in INSURANCE_CASES}
    assert values <= set(INSURANCE_QUERY_VALUES) | {"any"}


# --- for someone else, a human ---------------------------------------------------------------

#: Understood's yes/no readings -> the phrasings that ask for it, and those that do not.
ASKS = {
    "for_someone_else": ("someone_else", "not_someone_else"),
    "wants_human": ("human", "not_human"),
}


@pytest.mark.parametrize(
    ("reading", "text", "asks"),
    [
        (reading, text, asks)
        for reading, parts in ASKS.items()
        for asks, part in zip((True, False), parts, strict=True)
        for text in PHRASINGS[part]
    ],
)
def test_asks_for_someone_else_or_a_human(reading: str, text: str, asks: bool) -> None:
    assert getattr(understand(text), reading) is asks, text


# --- any input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀😀😀", "🙏", "?", "...", "\n\n", "\x00", "a" * 2000, "detox " * 400],
)
def test_odd_input_never_raises(text: str) -> None:
    assert isinstance(understand(text), Understood)


def test_long_message_still_read() -> None:
    text = "I have been struggling for a long time. " * 20 + "I need detox in Towson MD"
    result = understand(text[:2000])
    assert isinstance(result, Understood)


def test_mixed_english_and_spanish() -> None:
    result = understand("hola necesito detox en Baltimore, no tengo seguro")
    assert result.needs == ("detox",)
    assert result.insurance == "none"
    assert result.place is not None and result.place.label == "Baltimore, MD"


def test_non_string_input_is_nothing_understood() -> None:
    assert understand(None) == Understood()  # type: ignore[arg-type]


_WORDS = [
    "detox",
    "in",
    "Cumberland",
    ",",
    "MD",
    "St.",
    "Mary's",
    "County",
    "21201",
    "ride",
    "to",
    "my",
    "suboxone",
    "no",
    "insurance",
    "son",
    "is",
    "using",
    "real",
    "person",
    "not",
    "near",
    "actually",
    "Frostburg",
    "Co",
    "D.C.",
    "!",
    ".",
    "?",
    "rehab",
    "get",
    "clean",
    "off",
    "fentanyl",
    "Salt",
    "Lake",
    "City",
    "Kansas",
    "New",
    "York",
    "help",
    "hope",
    "é",
    "😀",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=2000), st.lists(st.sampled_from(_WORDS)).map(" ".join)))
def test_any_text_is_read_without_an_internal_error(text: str) -> None:
    # The inner reader: understand() would hide a bug behind an empty answer.
    result = _understand(text, None)
    assert set(result.needs) <= set(NEEDS)
    assert result.insurance in (None, *INSURANCE_QUERY_VALUES, "any")
    assert result.place is None or not result.place_candidates
    assert result.place_text is None or result.place_text in text
    assert not (result.broad_treatment and result.needs)


def test_vocabulary_file_is_consistent() -> None:
    vocabulary = load_vocabulary()
    keys = {key for keys in vocabulary.need_terms.keys.values() for key in keys}
    assert keys <= set(NEEDS) | {"broad_treatment"}
    assert set(NEEDS) <= keys


def test_preload_then_read() -> None:
    preload()
    assert understand("detox in Towson").needs == ("detox",)


def test_not_fuzzy_words_are_never_needs() -> None:
    """Every word of the stop list stays an ordinary word in a sentence."""
    vocabulary = load_vocabulary()
    read_as_needs = [
        word for word in sorted(vocabulary.not_fuzzy) if understand(f"well {word} okay").needs
    ]
    assert read_as_needs == []


@pytest.mark.parametrize(
    ("text", "needs", "human"),
    [
        ("stop. person.", (), True),
        ("ok, a real human", (), True),
        ("im a human being too", (), False),
        ("looking for a halfway hose", ("housing",), False),
        ("gonna be homeless next week", ("housing",), False),
        ("ride to the suboxone clinic tuesday", ("transportation",), False),
    ],
)
def test_short_asks_for_a_human_and_misspelt_or_coming_needs(
    text: str, needs: tuple[str, ...], human: bool
) -> None:
    understood = understand(text)
    assert (understood.needs, understood.wants_human) == (needs, human)
