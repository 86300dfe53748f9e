"""resolve_place: a county written with an abbreviation ("Baltimore Co", "Anne Arundel Co.").

"co" is also Colorado's code: it means a county only when the gazetteer has that county and
no such city in Colorado ("Denver co" stays Denver, Colorado). The cases are in
place_phrasings.yml.
"""

from __future__ import annotations

import pytest

from resources_db.geocode import resolve_place
from tests.resources_db import places


@pytest.mark.parametrize(("text", "label"), places.labelled("county_abbreviations"))
def test_county_abbreviation(text: str, label: str) -> None:
    assert places.found_label(text) == label


def test_county_abbreviation_shared_by_several_states_is_ambiguous() -> None:
    lookup = resolve_place("cumberland co")
    assert lookup.status == "ambiguous"
    labels = {p.label for p in lookup.candidates}
    assert labels >= {"Cumberland County, NJ", "Cumberland County, PA"}
