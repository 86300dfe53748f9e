"""resolve_place: a county written with an abbreviation ("Baltimore Co", "Anne Arundel Co.").

"co" is also Colorado's code: it means a county only when the gazetteer has that county and
no such city in Colorado ("Denver co" stays Denver, Colorado).
"""

from __future__ import annotations

import pytest

from resources_db.geocode import resolve_place


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("baltimore co", "Baltimore County, MD"),
        ("Baltimore Co.", "Baltimore County, MD"),
        ("Anne Arundel Co", "Anne Arundel County, MD"),
        ("anne arundel cnty", "Anne Arundel County, MD"),
        ("St. Mary's Co", "St. Mary's County, MD"),
        ("i'm in harford co", "Harford County, MD"),
        ("Baltimore Co, MD", "Baltimore County, MD"),
        ("Denver co", "Denver, CO"),
        ("Boulder, CO", "Boulder, CO"),
    ],
)
def test_county_abbreviation(text: str, label: str) -> None:
    lookup = resolve_place(text)
    assert lookup.status == "found", (text, lookup)
    assert lookup.place is not None and lookup.place.label == label


def test_county_abbreviation_shared_by_several_states_is_ambiguous() -> None:
    lookup = resolve_place("cumberland co")
    assert lookup.status == "ambiguous"
    labels = {p.label for p in lookup.candidates}
    assert labels >= {"Cumberland County, NJ", "Cumberland County, PA"}
