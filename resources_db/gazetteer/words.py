"""Words that are also US place names or state codes: a mention of one alone is not a place."""

from __future__ import annotations

# USPS codes that are ordinary words (English or Spanish) when written alone in lower case.
# They count as a state only right after a city ("Gary, IN"), never on their own.
WORDLIKE_STATE_CODES = frozenset(
    {
        "al",
        "ar",
        "as",
        "co",
        "de",
        "ga",
        "hi",
        "id",
        "in",
        "la",
        "ma",
        "me",
        "mo",
        "ms",
        "ne",
        "oh",
        "ok",
        "or",
        "pa",
        "ut",
        "wa",
    }
)

# Single-word place names that are also common words, or words a person looking for help
# is likely to type ("I need a bed", "any hope?"). A bare mention is never read as a place;
# the name still resolves when a state follows ("Hope, AR") or when it is the whole answer
# to "where are you?" (see resources_db.geocode).
_COMMON_WORD_PLACE_NAMES_TEXT = """
    a about above access action ada advance alert alliance alpha amen angel answer apple
    arch area bath bay beach bear beaver bed bell belle bend benefit best bible big bill
    birch bishop black bliss bloom blue boon bounty bowl box branch brave bridge bright
    brook brother buck bull butte buy cabin call calm camp can cannon cape capital carbon
    care carry cash castle cave cedar center central chance charity cheer cherry chief
    church circle city clay clean clear cliff climax clinic close cloud clover coal coffee
    coin cold colony comfort commerce common content cool copper corn corner cottage cotton
    country cove crane crisis cross crown crystal cure dairy dale day deal deep delight
    delta desire detox diamond dime dixie doctor dollar dove drain dream drug eagle early
    earth east echo economy eden elm energy enterprise equality eureka even fairview faith
    fall falls family farm farmer fate federal felt fifty fine fire fish flag flat flower
    folly forest fort fortune forward founder freedom friend friendship frost fruit fun
    garden gem genesis gift glad globe glory gold golden good grace grand granite grant
    grass gray green grove guard guide hall hand happy harbor harmony hart haven health
    heart help hermit hero hill holiday home homestead honor hope hospital hot house hub
    humble hunter ideal independence industry iron island ivy jet joy jubilee junction
    justice key kind king lake land landmark last laurel leader legend liberty life light
    like lily lime little live lodge long lost love loyal lucky magic main mammoth manor
    many maple marine market mars match may meadow medicine melody mercy merit middle mill
    miner mint mission model money moon morning mount mountain music mutual native nature
    needles new noble normal north nurse oak oasis ocean office ok old olive omega
    opportunity orange orchard order paradise park patience peace peach pearl pine pioneer
    plain plains pleasant plenty point pride prime progress promise prospect prosperity
    protection quality queen quiet rainbow ranch range recovery red refuge rehab reliance
    relief republic rescue reserve rest rich ridge ring rising river rock rose royal ruby
    rule rural rush safe safety sage saint salt sand savage school security shelter short
    side silver sleep smile smith snow sober social society solo south spring springs square
    star start state station steel stone story strong success summit sun sunrise sunset
    sunshine superior support sweet table temple thor time tower town trade trail tree
    triumph trust truth union unity university valley value venus victory view village vine
    vista walker wall water wave way welcome well west white why wide wild willow wind
    winter wisdom wood worth young youth zion
"""
COMMON_WORD_PLACE_NAMES = frozenset(_COMMON_WORD_PLACE_NAMES_TEXT.split())
