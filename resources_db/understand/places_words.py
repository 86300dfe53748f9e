"""Word lists of the place finder (words that are never a place on their own, and the words
around a place that tell how to read it) and the finder's answer type. The lists reject or
rank places; they never create one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resources_db.gazetteer import COMMON_WORD_PLACE_NAMES
from resources_db.geocode import LEADING_FILLER, NEVER_ALONE, TRAILING_FILLER, Place


@dataclass(frozen=True)
class PlaceFound:
    """The place a message names (or its candidates when ambiguous) and the words typed."""

    place: Place | None
    text: str
    candidates: tuple[Place, ...] = field(default_factory=tuple)


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Ordinary words (beyond gazetteer.COMMON_WORD_PLACE_NAMES and geocode.NEVER_ALONE) that are
# also the name of some US place, and that people write in a message about getting help.
# A bare one is never a place inside a message, only as the whole answer.
NOT_A_PLACE = words(
    """
    need needs want wants going gone get got just really please thanks thank able ready
    early late soon today
    tonight morning evening night week weekend monday tuesday wednesday thursday friday
    saturday sunday january february march april june july august september october
    november december christmas easter holiday
    sick ill pain tired lost alone scared afraid worried broke poor sad mad angry
    alcohol drinking drunk using high dope heroin fentanyl meth crack pills weed
    doctor nurse clinic program group meeting meetings bus ride car van truck taxi
    insurance medicaid medicare tricare private none any pay cash money free cheap
    son daughter wife husband friend brother sister mother father mom dad baby kids
    family child children boyfriend girlfriend partner parents people person human
    man woman boy girl guy lady
    what when where which who how why yes yeah nope okay sure maybe also still even
    again then than there their they them this that these those with without about after
    before since until while because could would should will shall might must can cant
    dont wont isnt arent have has had been being was were does did doing done make made
    take took give gave come came call called tell told talk said say know knew think
    thought feel felt look looking find found help helping live living stay staying
    sleep sleeping work working stop stopped quit start started try trying keep kept
    let lets put used new old big small little long short best better worse worst last
    next first second third other another same different some many much more most
    less few every each all both either neither only own self
    bad good great fine okay alright nice cool hard easy real true honest
    lord god jesus grace mercy faith hope love peace joy
    parole probation court jail airport chinatown uptown downtown
    casa calle hogar iglesia clinica centro ayuda vida amor esperanza paz familia
    """
)

# Ordinary words that are also the name of a sizeable town: a place only right after "in",
# "near" or "from" ("I'm in Mobile"), never on their own ("a mobile clinic", "reading").
TOWN_WORDS = words(
    """
    mobile surprise normal marathon success climax energy commerce industry enterprise
    opportunity universal paradise bonanza eclipse speed friendly reading liberal pace
    brick sandy hurricane mentor fountain plantation apex midway riverside woodland walnut
    plum vineyard converse defiance prosper keystone centennial meridian hillside groves
    paramount imperial marina highland sparks mustang seaside cocoa sterling anthem flint
    shoreline cypress magna orchards lakeside upland antelope arcadia alamo aloha revere
    largo portage badger hercules jupiter mercedes palestine lebanon jamaica
    """
)

# First names that are also the name of a city: in a message they are mostly a person
# ("Linda told me to call"). Large cities with such names (Austin, Charlotte) stay places.
FIRST_NAMES = words(
    """
    alice linda donna shirley beverly whitney sidney brent kyle roy wayne vincent stuart
    harvey duncan bryan brandon adrian arnold sebastian marion tucker dixon martinez ramsey
    holt clive keller shelby thornton addison hobart alvin cutler zachary daphne bethany
    lacey blaine godfrey cornelius granger woodrow henrietta leland lamont carney latham
    terrell hollis lennox ramona melville gladstone tracy kendall jasper seymour everett
    chandler clayton irving morton holden dalton stanton griffith caldwell dickinson
    livingston bartlett benton dyer dickson draper easton ewing oakley calhoun wharton
    hobbs ennis lynn milton baldwin johnston matthews gardner norton burke ferguson
    hopkins griffin richardson henderson newton palmer bradley harrison rogers murphy
    wright perry evans parker campbell mitchell marshall warren murray moore graham
    anderson wilson howard davis allen taylor elizabeth victoria florence sherman bryant
    """
)

# A relation or a name said just before: the next word is a person ("my son Tyler").
RELATION_WORDS = words(
    """
    son daughter kid child boy girl wife husband partner boyfriend girlfriend fiance fiancee
    friend buddy roommate brother sister mom mother dad father cousin uncle aunt nephew
    niece grandson granddaughter grandma grandpa stepson stepdaughter bf gf
    """
)
NAME_INTRODUCERS = words("named name called mr mrs ms miss dr doctor nurse officer")

# Words that correct a place given before: the place after them wins ("actually Frostburg").
CORRECTION_WORDS = words("actually instead meant sorry correction wait oops moved wrong")

# Never a place as a single word inside a message, even after "in" (the geocoder's rule:
# "I'm in hope", "I'm at home", "in pain", "in March"); the other ORDINARY words count right
# after "in"/"near"/"from" ("in Mobile", "from Linda's place" is the rare miss).
NEVER_A_PLACE_ALONE = COMMON_WORD_PLACE_NAMES | NEVER_ALONE | LEADING_FILLER | TRAILING_FILLER
NEVER_A_PLACE_ALONE |= NOT_A_PLACE
ORDINARY = NEVER_A_PLACE_ALONE | TOWN_WORDS | FIRST_NAMES

# Words that make a short message something other than a place ("his name is Austin").
NOT_IN_SHORT_ANSWER = (
    NOT_A_PLACE | NEVER_ALONE | RELATION_WORDS | NAME_INTRODUCERS | {"his", "her", "names"}
)

# Words before a noun, not before a place name met without "in" / "near".
DETERMINERS = words(
    "a an the this that these those my your his her our their its some any no every"
)

# Words that end the search for a misspelt place after "in" ("in a bad way", "in my car").
NOT_MISSPELT_PLACE = ORDINARY | DETERMINERS | {"place", "places", "action", "position"}

# Words after which a short abbreviation is a state ("in Calif."), unlike "go to mass".
STRONG_INTRODUCERS = frozenset({"in", "near", "around", "from", "outside", "en"})
