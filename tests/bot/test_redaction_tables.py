"""Labelled examples for every alternative of the redaction tables (issue 22, finding 13).

Deleting one street suffix, coordinate key, redacted slot or ordinary word from the tables
in core/redaction.py used to pass every test. Each list below is written out (generated once
from the tables where a template is honest, by hand where it is not), so deleting an
alternative from the module fails one of these; `test_every_table_word_has_an_example`
fails when a word is added to a table without one. Mutation run: docs/security.md.
All data is fictional.
"""

from __future__ import annotations

import re

import pytest

from core import redaction
from core.redaction import coarsen, redact, redact_event

# ------------------------------------------------------------------ street addresses

STREET_SUFFIXES = [
    "St", "Street", "Ave", "Avenue", "Av", "Rd", "Road", "Blvd", "Boulevard", "Dr", "Drive",
    "Ln", "Lane", "Way", "Ct", "Court", "Pl", "Place", "Ter", "Terrace", "Pkwy", "Parkway",
    "Hwy", "Highway", "Cir", "Circle", "Sq", "Square", "Pike", "Trl", "Trail", "Aly", "Alley",
]


@pytest.mark.parametrize("suffix", STREET_SUFFIXES)
def test_every_street_type_makes_an_address(suffix: str) -> None:
    assert redact(f"I stay at 123 Example {suffix} now") == "I stay at [address] now"
    assert redact(f"4500 N Example {suffix.lower()}.") in ("[address]", "[address].")


# A number followed by one of these words is everyday speech, not a street number.
NOT_STREET_WORDS = [
    "the", "a", "an", "my", "his", "her", "our", "their", "down", "up", "to", "of", "on",
    "in", "at", "and", "or", "from", "by", "for", "this", "that", "miles", "blocks",
    "minutes", "mins", "hours", "hrs", "days", "weeks", "months", "years", "times", "more",
    "other", "people", "kids", "beds", "mg", "pills", "bags",
]


@pytest.mark.parametrize("word", NOT_STREET_WORDS)
def test_numbers_of_everyday_speech_are_no_address(word: str) -> None:
    typed = f"it was 3 {word} past Example Road"
    assert redact(typed) == typed


@pytest.mark.parametrize("typed", [
    "I walked 3 blocks down the road", "2 court dates", "I take 8 mg twice a day",
    "clean for 90 days on Example Street", "5 miles from Example Avenue",
])
def test_everyday_sentences_with_street_words_are_kept(typed: str) -> None:
    assert redact(typed) == typed


@pytest.mark.parametrize("unit", ["apt", "apartment", "unit", "suite", "ste", "#"])
def test_a_unit_after_a_street_is_part_of_the_address(unit: str) -> None:
    assert redact(f"12 Example St {unit} 4B") == "[address]"
    assert redact(f"12 Example St, {unit}. 4B please") == "[address] please"


@pytest.mark.parametrize("unit", ["apt", "apartment", "unit", "suite", "ste"])
def test_a_unit_alone_is_an_address(unit: str) -> None:
    assert redact(f"I'm in {unit} 3C right now") == "I'm in [address] right now"
    assert redact(f"I'm in {unit.upper()} #12") == "I'm in [address]"


@pytest.mark.parametrize("typed", ["send it to p.o. box 123", "PO Box 4412", "P. O. box 9"])
def test_post_office_boxes_are_addresses(typed: str) -> None:
    assert "[address]" in redact(typed) and not re.search(r"\d", redact(typed))


# ------------------------------------------------------------------ phone numbers

@pytest.mark.parametrize("prefix", ["800", "833", "844", "855", "866", "877", "888"])
def test_toll_free_numbers_belong_to_organisations_and_are_kept(prefix: str) -> None:
    typed = f"is 1-{prefix}-555-0123 free to call"
    assert redact(typed) == typed


@pytest.mark.parametrize(("typed", "stored"), [
    ("410-555-0123", "[phone]"), ("(410) 555-0123", "[phone]"), ("+1 410 555 0123", "[phone]"),
    ("4105550123", "[phone]"), ("text 555-0123", "text [phone]"), ("555.0123 ok", "[phone] ok"),
])
def test_phone_shapes(typed: str, stored: str) -> None:
    assert redact(typed) == stored


# ------------------------------------------------------------------ names

SELF_INTRODUCTIONS = [
    ("I'm Jane Example", "I'm [name]"),
    ("I'm Jane", "I'm [name]"),
    ("Im Jane, need detox", "Im [name], need detox"),
    ("i'm Jane Example and I need a bed", "i'm [name] and I need a bed"),
    ("I am Jane Example", "I am [name]"),
    ("I AM JANE", "I AM [name]"),
    ("I'm called Jane", "I'm called [name]"),
    ("I am called Jane Example", "I am called [name]"),
    ("Jane Example here", "[name] here"),
    ("Jane here, looking for detox", "[name] here, looking for detox"),
    ("hi, Jane Example here", "hi, [name] here"),
    ("Hey Jane here", "Hey [name] here"),
    ("hello - Jane here", "hello - [name] here"),
    ("Hello Jane here", "Hello [name] here"),
    ("Hola, Jane here", "Hola, [name] here"),
    ("!! Jordan Examplesson here", "!! [name] here"),  # found by tests/security/test_fuzz_chat.py
    ("\u202e😭 hi!! Jane here", "\u202e😭 hi!! [name] here"),
    ("<b> Jordan Examplesson here", "<b> [name] here"),
    ("' OR 1=1 -- Jordan Examplesson here", "' OR 1=1 -- [name] here"),
    ("I need detox. Jane here.", "I need detox. [name] here."),
    ("my name is Jane Example", "my name is [name]"),
    ("My name is jane", "My name is [name]"),
    ("name's Jane", "name's [name]"),
    ("name: Jane Example", "name: [name]"),
    ("name is Jane", "name is [name]"),
    ("this is Jane", "this is [name]"),
    ("This is Jane Example from Towson", "This is [name] from Towson"),
    ("call me Jane", "call me [name]"),
    ("Call me Jane please", "Call me [name] please"),
    ("I go by Jay", "I go by [name]"),
    ("me llamo jane", "me llamo [name]"),
    ("mi nombre es Jane Example", "mi nombre es [name]"),
    ("soy Jane, necesito ayuda", "soy [name], necesito ayuda"),
]


@pytest.mark.parametrize(("typed", "stored"), SELF_INTRODUCTIONS)
def test_self_introductions_are_redacted(typed: str, stored: str) -> None:
    assert redact(typed) == stored


ORDINARY_I_AM = [
    "I'm in Towson", "I'm tired", "I'm looking for detox", "I'm Tired", "I'M TIRED",
    "I'm dopesick", "I'm going to kill myself", "I'm Going to kill myself", "I'm 35",
    "I'm on methadone", "I'm not sure", "I'm at the hospital", "Im scared",
    "I am looking for a meeting", "I'm so tired of this", "i'm from Dundalk", "I'm ok",
    "Someone here?", "Is anyone here", "Detox here?", "help here please", "call me back",
    "Any AA meetings here?", "is there detox here", "I'm here",
    "this is hard", "This is my first time", "my name is not important", "I'm Suicidal",
    "I'm Homeless and need a bed", "I'm Pregnant", "soy de Baltimore",
]


@pytest.mark.parametrize("typed", ORDINARY_I_AM)
def test_ordinary_sentences_about_oneself_are_kept(typed: str) -> None:
    assert redact(typed) == typed


@pytest.mark.parametrize(("typed", "stored"), [
    ("I'm Jane And I need help", "I'm [name] And I need help"),
    ("this is Jane Today", "this is [name] Today"),
])
def test_an_ordinary_word_after_a_name_is_kept(typed: str, stored: str) -> None:
    assert redact(typed) == stored


# Capitalised words after an introduction that are no name.
NOT_NAMES_EXAMPLES = [
    "call me About", "I'm Afraid", "I'm Alone", "I'm Also", "I'm An", "I'm And", "I'm Any",
    "I'm Anybody",
    "I'm Anyone", "call me April", "call me ASAP", "I'm Asking", "call me At", "call me August",
    "call me Back", "I'm Bleeding", "I'm But", "I'm By", "I'm Calling", "I'm Clean",
    "I'm Crazy", "call me December", "I'm Desperate", "I'm Detox", "I'm Done", "I'm Dopesick",
    "I'm Dying", "I'm Embarrassing", "I'm Everyone", "call me February", "I'm Fine", "I'm For",
    "call me Friday", "I'm From", "I'm God", "I'm Going", "I'm Good", "I'm Hard", "I'm Having",
    "I'm Hello", "I'm Help", "I'm Here", "I'm Hey", "I'm Hi", "I'm High", "I'm Home",
    "I'm Homeless", "I'm How", "I'm Hurt", "call me If", "I'm In", "I'm Is", "I'm It",
    "call me January", "call me July", "call me June", "I'm Just", "call me Later",
    "I'm Looking", "I'm Lost", "call me March", "call me May", "I'm Me", "call me Monday",
    "I'm My", "I'm Near", "I'm New", "I'm No", "I'm Nobody", "I'm Not", "call me November",
    "call me Now", "call me October", "I'm Ok", "I'm Okay", "call me On", "I'm Out",
    "I'm Overdosing", "call me Please", "I'm Pregnant", "I'm Ready", "I'm Really", "I'm Sad",
    "call me Saturday", "I'm Scared", "I'm Scary", "call me September", "I'm Serious",
    "I'm Sick", "I'm So", "I'm Sober", "I'm Somebody", "I'm Someone", "I'm Sorry", "I'm Still",
    "I'm Suicidal", "call me Sunday", "I'm The", "call me Thursday", "I'm Tired", "I'm To",
    "call me Today", "call me Tomorrow", "call me Tonight", "I'm Too", "I'm Trying",
    "call me Tuesday", "I'm Unknown", "I'm Urgent", "I'm Using", "I'm Very", "I'm Was",
    "call me Wednesday", "I'm What", "call me When", "I'm Where", "I'm Why", "I'm With",
    "I'm Worried", "I'm Yes",
]
NOT_NAMES_EXAMPLES += ["my name is a secret", "name: I don't want to say"]


@pytest.mark.parametrize("typed", NOT_NAMES_EXAMPLES)
def test_ordinary_words_after_an_introduction_are_no_name(typed: str) -> None:
    assert redact(typed) == typed


# Ordinary words that end a name given after "my name is" (any case).
NAME_ENDS = ["and", "but", "i", "im", "my", "from", "in", "at", "near", "looking", "need",
             "want", "so", "please"]


@pytest.mark.parametrize("word", NAME_ENDS)
def test_a_name_ends_before_an_ordinary_word(word: str) -> None:
    assert redact(f"my name is jordan {word} towson") == f"my name is [name] {word} towson"


# ------------------------------------------------------------------ places

@pytest.mark.parametrize(("typed", "stored"), [
    ('{"lat": 39.287312, "lon": -76.604876}', '{"lat": 39.3, "lon": -76.6}'),
    ('{"lng": -76.604876}', '{"lng": -76.6}'),
    ('{"latitude": 39.287312, "longitude": -76.604876}',
     '{"latitude": 39.3, "longitude": -76.6}'),
    ("lat=39.287312&lon=-76.604876", "lat=39.3&lon=-76.6"),
    ("Latitude: 39.287312", "Latitude: 39.3"),
    ("39.287312, -76.604876", "39.3, -76.6"),
    ("I'm at 39.2873 -76.6048 now", "I'm at 39.3 -76.6 now"),
    ("maps.example/@39.287312,-76.604876,17z", "maps.example/@39.3,-76.6,17z"),
    ('{"lat": 1e308, "lon": -1e308}', '{"lat": null, "lon": null}'),
    ('{"lat": 91.5, "lon": 181}', '{"lat": null, "lon": null}'),
    ('{"lat": ' + "9" * 400 + "}", '{"lat": null}'),
    ("detox near 21201", "detox near 212xx"),
    ("zip 21201-1234", "zip 212xx"),
])
def test_coordinates_and_zips_are_coarse(typed: str, stored: str) -> None:
    assert coarsen(typed) == stored


@pytest.mark.parametrize("typed", [
    "I take 2.5 mg, 8.25 at night", "version 3.6.21", "it costs 12.50, 3.75 with insurance",
    "open 24/7", "call 1-800-662-4357", "$1.25 or 1.50", "39.28 -76.60 is a price list",
])
def test_numbers_that_are_no_place_are_kept(typed: str) -> None:
    assert coarsen(typed) == typed


@pytest.mark.parametrize(("name", "value", "stored"), [
    ("lat", 39.29041, 39.3), ("lon", -76.61219, -76.6), ("lat", "39.2873", 39.3),
    ("lat", 95.0, None), ("lon", 181.0, None), ("lat", float("nan"), None),
    ("lon", float("inf"), None), ("lat", True, None), ("lat", "north", None),
])
def test_coordinate_slots_are_coarse_and_in_range(name: str, value: object,
                                                  stored: object) -> None:
    assert redact_event({"event": "slot", "name": name, "value": value})["value"] == stored


@pytest.mark.parametrize("name", ["location", "location_checked", "location_attempt"])
def test_place_slots_keep_a_city_or_zip3(name: str) -> None:
    def stored(value: object) -> object:
        return redact_event({"event": "slot", "name": name, "value": value})["value"]

    assert stored("Baltimore, MD 21201") == "Baltimore, MD"  # text would keep "212xx"
    assert stored("410") is None  # digits of a phone number are no place
    assert stored("21218") == "212xx"


def test_place_candidates_keep_cities() -> None:
    event = {"event": "slot", "name": "location_candidates",
             "value": ["Columbia, MO 65201", "Columbia, MD 21044", "0123"]}
    assert redact_event(event)["value"] == ["Columbia, MO", "Columbia, MD", None]


CARD = {"name": "Example Recovery Center", "phone": "410-555-0100",
        "address": "12 Example St, Baltimore, MD 21201"}


@pytest.mark.parametrize(("name", "value"), [
    ("shown_resources", [CARD]),
    ("last_results", ["example-21201", "example 4105550100"]),
    ("current_need", "detox near 21201"),
])
def test_the_assistants_directory_slots_are_kept(name: str, value: object) -> None:
    assert redact_event({"event": "slot", "name": name, "value": value})["value"] == value


@pytest.mark.parametrize(("name", "value", "stored"), [
    ("insurance", "medicaid, my id is 4105550123", "medicaid, my id is [phone]"),
    ("population", "I'm Jane Example", "I'm [name]"),
    ("needs", ["detox", "call 410-555-0123"], ["detox", "call [phone]"]),
    ("results_total", 10 ** 400, None),
    ("results_offset", float("nan"), None),
])
def test_other_slots_are_redacted_like_text(name: str, value: object, stored: object) -> None:
    assert redact_event({"event": "slot", "name": name, "value": value})["value"] == stored


# ------------------------------------------------------------------ the tables are covered

def _alternatives(table: str) -> list[str]:
    return [word.rstrip("?") for word in table.split("|")]


def test_every_table_word_has_an_example() -> None:
    """A word added to a table needs a labelled example above. (Subset checks only: that a
    deleted word is missed is for the behaviour tests above to show, not this one.)"""
    assert set(_alternatives(redaction._STREET_SUFFIX)) <= {s.lower() for s in STREET_SUFFIXES}
    assert {w.rstrip("s") for w in _alternatives(redaction._NOT_STREET_WORDS)} <= {
        w.rstrip("s") for w in NOT_STREET_WORDS}
    named = {re.sub(r"^(call me|I'm) ", "", e).lower() for e in NOT_NAMES_EXAMPLES}
    assert redaction._NOT_NAMES - {"a", "i"} <= named | set(NAME_ENDS)
    assert set(redaction.COORDINATE_LIMITS) <= {"lat", "lon", "lng", "latitude", "longitude"}
    slots = redaction.COORDINATE_SLOTS | redaction.PLACE_SLOTS | redaction.ASSISTANT_SLOTS
    assert slots <= {"lat", "lon", "location", "location_checked", "location_attempt",
                     "shown_resources", "last_results", "current_need"}
