"""understand(): the place a whole message names (town AND state), and what is not a place."""

from __future__ import annotations

import pytest

from resources_db.gazetteer import load_gazetteer
from resources_db.geocode import city_place, resolve_place
from resources_db.understand import understand

# message -> (label of the place, its state)
PLACE_CASES = [
    # "City, State" spelled out: the right Cumberland, the right Portland
    ("Cumberland, Maryland", "Cumberland, MD", "MD"),
    ("I need detox in Cumberland, Maryland please", "Cumberland, MD", "MD"),
    ("detocks in cumberland maryland", "Cumberland, MD", "MD"),
    ("Cumberland MD", "Cumberland, MD", "MD"),
    ("im in cumberland, md and need subs", "Cumberland, MD", "MD"),
    ("I live in Portland, Maine", "Portland, ME", "ME"),
    ("portland oregon meetings", "Portland, OR", "OR"),
    ("Portland OR", "Portland, OR", "OR"),
    # multi-word cities
    ("Newport News, VA", "Newport News, VA", "VA"),
    ("methadone clinic near Newport News VA", "Newport News, VA", "VA"),
    ("need a sober house in newport news virginia asap", "Newport News, VA", "VA"),
    ("Salt Lake City", "Salt Lake City, UT", "UT"),
    ("any detox in salt lake city? i have medicaid", "Salt Lake City, UT", "UT"),
    ("I'm in Silver Spring and need narcan", "Silver Spring, MD", "MD"),
    ("Virginia Beach", "Virginia Beach, VA", "VA"),
    ("new york city", "New York, NY", "NY"),
    ("NYC", "New York, NY", "NY"),
    ("in Kansas City, Kansas", "Kansas City, KS", "KS"),
    ("Ocean City, MD", "Ocean City, MD", "MD"),
    # counties
    ("St. Mary's County", "St. Mary's County, MD", "MD"),
    ("looking for suboxone in st marys county", "St. Mary's County, MD", "MD"),
    ("Baltimore County", "Baltimore County, MD", "MD"),
    ("I'm in Prince George's County", "Prince George's County, MD", "MD"),
    ("anne arundel county detox", "Anne Arundel County, MD", "MD"),
    ("Montgomery County, MD", "Montgomery County, MD", "MD"),
    ("baltimore co detox", "Baltimore County, MD", "MD"),
    ("I'm in Anne Arundel Co.", "Anne Arundel County, MD", "MD"),
    # ZIPs anywhere
    ("21502", "Cumberland, MD 21502", "MD"),
    ("i need narcan near 21201", "Baltimore, MD 21201", "MD"),
    ("my zip is 21204 and I need a bed", "Towson, MD 21204", "MD"),
    ("detox 21201-1234", "Baltimore, MD 21201", "MD"),
    # City ST / City, ST / sentence
    ("detox in Towson", "Towson, MD", "MD"),
    ("towson md", "Towson, MD", "MD"),
    ("Hagerstown", "Hagerstown, MD", "MD"),
    ("I need detox in Baltimore I have no insurance", "Baltimore, MD", "MD"),
    ("methodone clinic baltimore", "Baltimore, MD", "MD"),
    ("Frederick, MD", "Frederick, MD", "MD"),
    ("Gary, IN", "Gary, IN", "IN"),
    ("springfield illinois", "Springfield, IL", "IL"),
    ("Springfield, MO rehab", "Springfield, MO", "MO"),
    ("sober living bel air", "Bel Air, MD", "MD"),
    ("I NEED DETOX IN CUMBERLAND MD", "Cumberland, MD", "MD"),
    ("DETOX GARY, IN", "Gary, IN", "IN"),
    ("I'm in Mobile and need detox", "Mobile, AL", "AL"),
    ("in the Bronx", "The Bronx, NY", "NY"),
    # states
    ("West Virginia", "West Virginia", "WV"),
    ("I'm in west virginia, need detox", "West Virginia", "WV"),
    ("anywhere in Maryland", "Maryland", "MD"),
    ("I'm in MD", "Maryland", "MD"),
    ("sober house in D.C.", "Washington, DC", "DC"),
    ("detox in N.C.", "North Carolina", "NC"),
    ("I'm in Calif", "California", "CA"),
    # a state named apart picks the town
    ("I'm in Maryland near Cumberland", "Cumberland, MD", "MD"),
    ("Cumberland. It's in Maryland", "Cumberland, MD", "MD"),
    # corrections
    ("actually I'm in Frostburg, MD", "Frostburg, MD", "MD"),
    ("I said Baltimore but actually I'm in Towson", "Towson, MD", "MD"),
    ("I'm not in Baltimore, I'm in Towson", "Towson, MD", "MD"),
    ("no longer in Towson, moved to Cumberland MD", "Cumberland, MD", "MD"),
    ("not far from Towson", "Towson, MD", "MD"),
    ("I was in Cumberland, MD but actually I'm in Frostburg now", "Frostburg, MD", "MD"),
    # misspelt places
    ("baltimor", "Baltimore, MD", "MD"),
    ("detox near baltimre", "Baltimore, MD", "MD"),
    ("towsen md", "Towson, MD", "MD"),
    ("im in hagerstwn md", "Hagerstown, MD", "MD"),
    ("looking for a detox near philadelpia", "Philadelphia, PA", "PA"),
    # Spanish
    ("necesito detox en Baltimore", "Baltimore, MD", "MD"),
]


@pytest.mark.parametrize(("text", "label", "state"), PLACE_CASES)
def test_place_in_the_whole_message(text: str, label: str, state: str) -> None:
    result = understand(text)
    assert result.place is not None, (text, result)
    assert (result.place.label, result.place.state) == (label, state), text
    assert result.place_candidates == ()


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("I need detox in Cumberland, Maryland please", "Cumberland, Maryland"),
        ("looking for suboxen in St. Mary's County", "St. Mary's County"),
        ("methadone near Newport News, VA.", "Newport News, VA"),
        ("my zip is 21204", "21204"),
        ("detox near baltimre", "baltimre"),
    ],
)
def test_place_text_is_what_was_typed(text: str, typed: str) -> None:
    assert understand(text).place_text == typed


def test_place_is_the_exact_gazetteer_centroid() -> None:
    """Typed places are public: their exact centroid is kept (issue 14, item 8)."""
    gazetteer = load_gazetteer()
    expected = city_place(gazetteer.cities[("cumberland", "MD")])
    place = understand("detox in Cumberland, Maryland").place
    assert place == expected
    zip_place = understand("near 21502").place
    assert zip_place is not None and zip_place.zip == "21502"
    record = gazetteer.zips["21502"]
    assert (zip_place.lat, zip_place.lon) == (record.lat, record.lon)


def test_same_place_as_resolve_place() -> None:
    for text in ("Towson, MD", "Salt Lake City", "St. Mary's County", "21201"):
        assert understand(f"I need help in {text}").place == resolve_place(text).place


# --- ambiguous names: candidates, or the one in a state given before -----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Portland",
        "actually I'm in Frostburg",
        "springfield",
        "Kansas City",
        "Columbus",
        "we're from Reading, need a meeting",
    ],
)
def test_ambiguous_name_offers_candidates(text: str) -> None:
    result = understand(text)
    assert result.place is None
    assert len(result.place_candidates) >= 2
    assert result.place_text is not None


def test_earlier_place_picks_among_same_named_towns() -> None:
    before = understand("I'm in Cumberland, Maryland").place
    assert before is not None
    result = understand("actually I'm in Frostburg", near=before)
    assert result.place is not None
    assert (result.place.city, result.place.state) == ("Frostburg", "MD")


def test_found_wins_over_ambiguous() -> None:
    result = understand("Springfield or maybe Hagerstown")
    assert result.place is not None and result.place.label == "Hagerstown, MD"


# --- words that are towns but not places here -------------------------------------------

NOT_PLACES = [
    "I need help",
    "there's no hope",
    "i want to go home",
    "rehab",
    "I need rehab",
    "need a bed tonight",
    "I'm clean 30 days",
    "sober living",
    "my son Tyler is using",
    "my daughter Madison relapsed",
    "his name is Austin",
    "Is there a mobile clinic",
    "what a surprise",
    "I need a ride",
    "I need detox",
    "I have Kaiser",
    "I have medicaid",
    "thank you",
    "any hope for me",
    "I'm in a bad way",
    "I'm in recovery",
    "I'm in withdrawal",
    "in need of help",
    "I'm at home",
    "going to work",
    "I need a meeting tonight",
    "my mom is in the hospital",
    "we are in trouble",
    "I am in pain",
    "need help asap",
    "I'm in crisis",
    "I go to mass on sunday",
    "I need an md to prescribe",
    "I'm on parole",
    "Linda told me to call",
    "reading is hard right now",
    "I'm not in Baltimore anymore",
    "it's a battle ground out here",
    "I hurt my left hand",
    "that's not fair play",
    "i am in right now",
    "I'm in a good place right now",
    "I'm in the hospital",
    "i am in games all day",
    "I'm in surprised",
    "we're in holidays",
    "I am in so much pain",
    "I got out in March",
    "I am in trouble",
    "I'm in love with dope",
    "I NEED AN MD WHO TAKES MEDICAID",
    "HELP ME OR I WILL DIE",
    "my phone is in my car",
    "hello",
    "😀",
    "",
]


@pytest.mark.parametrize("text", NOT_PLACES)
def test_common_words_are_not_places(text: str) -> None:
    result = understand(text)
    assert result.place is None, (text, result.place)
    assert result.place_candidates == (), (text, result.place_candidates)


def test_a_plan_name_is_a_place_only_after_in() -> None:
    assert understand("I have Anthem through my job").place is None
    place = understand("I live in Anthem").place
    assert place is not None and (place.city, place.state) == ("Anthem", "AZ")


def test_introduced_small_town_with_a_common_name_counts() -> None:
    result = understand("I live in Hope, Arkansas")
    assert result.place is not None and (result.place.city, result.place.state) == ("Hope", "AR")
