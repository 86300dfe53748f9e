"""Spot an overdose, suicide risk or immediate danger in one chat message.

Every message is checked here before anything else the assistant does. The rules are plain
regular expressions over a normalized copy of the text, so every decision can be explained by
the rule name and the phrase that fired (`CrisisSignal.rule`, `CrisisSignal.matched`).

Design (see docs/crisis-detection.md for the reasoning and the measured numbers):
- Missing a crisis is far worse than a false alarm, so the rules lean towards firing.
- A few *suppressors* keep well-known non-emergencies quiet: idioms ("this wait list is
  killing me" never matches a rule at all), harm-reduction and training questions
  ("overdose prevention training"), grief ("I lost a friend to an overdose last year"),
  clear negation ("I'm not suicidal") and clearly past events ("I used to feel suicidal").
  A suppressor only looks at the clause around the match, and a past-tense suppressor is
  ignored when the message says it is happening again.
- Signs that someone is dying right now ("not breathing", "won't wake up", "blue lips",
  "narcan isn't working") are never suppressed.

This module is pure standard library and runs on Python 3.10 (Rasa) and 3.11 (app).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

CRISIS_KINDS: tuple[str, ...] = ("overdose", "suicide", "danger")

#: Longer messages are checked on their first this-many characters (a chat message is short;
#: the cap keeps the check fast whatever a client sends).
MAX_CHARS = 20_000


@dataclass(frozen=True)
class CrisisSignal:
    """What fired: the crisis kind, the normalized phrase that matched, and the rule's name."""

    kind: str
    matched: str
    rule: str = ""
    #: Who is in danger, where the words say: "self" ("I took too many"), "other" ("my friend
    #: isn't breathing") or "unknown". Replies to an overdose differ for the two.
    subject: str = "unknown"
    #: The language the matched words are in ("en" or "es").
    language: str = "en"


# --------------------------------------------------------------------------- normalization

_APOSTROPHES = re.compile(r"[\u2018\u2019\u201b\u02bc\u02bb`\u00b4\u2032]")
_O_D = re.compile(r"\bo\s?\.\s?d\b\.?")  # "o.d." / "o. d" -> "od"
_OD_APOSTROPHE = re.compile(r"\bod'(d|ed|ing|in|s)\b")
_OVERDOSE_WORD = re.compile(r"\bo(?:ver|vr|ve|var|vre)\s?-?\s?d[oa]+e?s+e?(d|s|ing|in|ng)?\b")
_NOT_TEXT = re.compile(r"[^\w\s.!?;,]")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")  # letters typed three or more times in a row
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_NEWLINES = re.compile(r"\s*\n\s*")

_OVERDOSE_FORMS = {"d": "overdosed", "s": "overdoses", "ing": "overdosing", "in": "overdosing",
                   "ng": "overdosing", "": "overdose"}

#: Texting shorthand and common misspellings, one word at a time.
_WORD_MAP: dict[str, str] = {
    # overdose shorthand ("od'd" arrives here as "oded")
    "od": "overdose", "ods": "overdoses", "oded": "overdosed", "odded": "overdosed",
    "oding": "overdosing", "odding": "overdosing", "odeing": "overdosing", "odin": "overdosing",
    # suicide and self-harm
    "kms": "kill myself", "unalive": "kill", "unaliving": "killing", "unalived": "killed",
    "sewerslide": "suicide", "suicde": "suicide", "sucide": "suicide", "suiside": "suicide",
    "suicid": "suicide", "suecide": "suicide", "suicidial": "suicidal", "sucidal": "suicidal",
    "suicdal": "suicidal", "suisidal": "suicidal", "suicidle": "suicidal", "sucidial": "suicidal",
    "suecidal": "suicidal", "myslef": "myself", "mysef": "myself", "myslf": "myself",
    "meself": "myself", "mself": "myself",
    # naloxone
    "narcn": "narcan", "narcane": "narcan", "narkan": "narcan", "narcam": "narcan",
    "narcen": "narcan", "naloxon": "naloxone", "nalaxone": "naloxone", "naloxen": "naloxone",
    "naloxene": "naloxone", "nalox": "naloxone",
    # breathing, responding, dying
    "breathin": "breathing", "breating": "breathing", "braething": "breathing",
    "breatheing": "breathing", "breathign": "breathing", "breahing": "breathing",
    "brething": "breathing", "unresponsve": "unresponsive", "unresponive": "unresponsive",
    "unresposive": "unresponsive", "unresponisve": "unresponsive", "unrespnsive": "unresponsive",
    "ded": "dead", "dieing": "dying", "dyin": "dying", "wakin": "waking",
    "narcaned": "narcanned", "narcand": "narcanned", "narcanning": "narcanned",
    # dropped g: "killin", "thinkin bout"
    "killin": "killing", "thinkin": "thinking", "bout": "about", "tryin": "trying",
    "goin": "going", "doin": "doing", "feelin": "feeling", "livin": "living",
    "respondin": "responding", "movin": "moving", "usin": "using", "hurtin": "hurting",
    "hittin": "hitting", "beatin": "beating", "chokin": "choking", "threatenin": "threatening",
    "followin": "following", "shootin": "shooting", "endin": "ending", "cuttin": "cutting",
    "nothin": "nothing", "overdosin": "overdosing",
    # texting style
    "wanna": "want to", "wana": "want to", "gonna": "going to", "gona": "going to",
    "finna": "going to", "tryna": "trying to", "gotta": "got to", "u": "you", "ur": "your",
    "r": "are", "pls": "please", "plz": "please", "bf": "boyfriend", "gf": "girlfriend",
    "ppl": "people", "cuz": "because", "bc": "because", "rn": "right now", "aint": "isnt",
    "dnt": "dont", "cnt": "cant", "cannot": "cant", "w": "with",
}

#: Spelled-out forms folded into the contracted forms the rules use.
_PHRASE_MAP: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b{long}\b"), short)
    for long, short in (
        (r"i am", "im"), (r"he is", "hes"), (r"she is", "shes"), (r"they are", "theyre"),
        (r"it is", "its"), (r"that is", "thats"), (r"there is", "theres"), (r"do not", "dont"),
        (r"does not", "doesnt"), (r"did not", "didnt"), (r"is not", "isnt"),
        (r"are not", "arent"), (r"was not", "wasnt"), (r"will not", "wont"),
        (r"would not", "wouldnt"), (r"could not", "couldnt"), (r"can not", "cant"),
        (r"my self", "myself"), (r"(want|going|have|trying|need|got) 2", r"\1 to"),
        (r"any more", "anymore"), (r"any longer", "anymore"),
    )
)


def normalize(text: str, stretched_to: int = 1) -> str:
    """Lower-case, NFKC-fold and de-slang `text`, keeping clause punctuation (. , ; ! ?).

    A letter typed three or more times in a row is cut to `stretched_to` copies: 1 turns
    "diiie" into "die", 2 turns "tooook" into "took"; detect_crisis tries both.
    Examples: "My BF OD'd!!" -> "my boyfriend overdosed!!", "sooo" -> "so",
    "overdoseing" -> "overdosing", "o.d." -> "overdose", "kms" -> "kill myself".
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    s = "".join(_clean_char(c) for c in s)
    s = _STRETCHED.sub(r"\1" * stretched_to, s)
    s = _APOSTROPHES.sub("'", s)
    s = _O_D.sub("od", s)
    s = _OD_APOSTROPHE.sub(lambda m: "oded" if m.group(1) in ("d", "ed") else "od" + m.group(1), s)
    s = s.replace("'", "")
    s = _NOT_TEXT.sub(" ", s)
    s = _OVERDOSE_WORD.sub(lambda m: _OVERDOSE_FORMS[m.group(1) or ""], s)
    s = _WORD.sub(lambda m: _WORD_MAP.get(m.group(0), m.group(0)), s)
    for pattern, short in _PHRASE_MAP:
        s = pattern.sub(short, s)
    s = _NEWLINES.sub(" . ", s)
    return _SPACES.sub(" ", s).strip()


_INVISIBLE_SPACES = frozenset("\u200b\u2060\u180e")


def _clean_char(c: str) -> str:
    """Drop invisible format characters; turn other control characters into spaces."""
    if c == "\n":
        return c
    if c in _INVISIBLE_SPACES:
        return " "
    category = unicodedata.category(c)
    if category == "Cf":
        return ""
    if category[0] in ("C", "Z"):
        return " "
    return c


# --------------------------------------------------------------------------- rules


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a rule written with single spaces; a space matches any run of whitespace."""
    return re.compile(r"\b(?:" + pattern.replace(" ", r"\s+") + r")\b")


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    return _rx("|".join(f"(?:{p})" for p in patterns))


_PERSON = (r"(?:he|she|they|hes|shes|theyre|someone|somebody|husband|wife|boyfriend|"
           r"girlfriend|partner|dad|father|stepdad|mom|mother|brother|sister|ex|roommate|guy|man|"
           r"dude|woman|pimp|dealer|neighbor|son|daughter|uncle|cousin)")
_PILLS = (r"(?:pills|meds|medication|medicine|tablets|xanax|bars|percs|percocets?|oxys?|"
          r"oxycodone|tylenol|advil|benzos|klonopin|valium|sleeping pills|ambien|subs|"
          r"suboxone|methadone|gabapentin|seroquel)")
_KIN = (r"(?:son|daughter|friend|boyfriend|girlfriend|brother|sister|husband|wife|partner|"
        r"roommate|mom|dad|mother|father|cousin|uncle|aunt|nephew|niece|kid|child|baby|buddy|"
        r"grandson|granddaughter|fiance|fiancee)")
#: A cry for help next to a word for serious harm ("help hes bleeding", "911 hes dying").
_URGENT = (r"(?:hurry|asap|emergency|911|sos|right now|quick|somebody help|someone help|"
           r"please help|help help|help me|help us)")
_SERIOUS = (r"(?:dying|dead|bleeding|blood|gun|knife|stabbed|choking|unconscious|collapsed|"
            r"overdos\w*|suicid\w*|attack\w*|danger)")
_WEAPON = r"(?:gun|guns|knife|knives|weapon|pistol|rifle|shotgun|machete|blade|bat)"
_HURT_VERBS = (r"(?:hurting|hitting|beating|choking|strangling|attacking|raping|stabbing|kicking|"
               r"punching|slapping|hit|hits|beat|beats|choked|chokes|strangled|attacked|raped|"
               r"stabbed|kicked|punched|slapped|pushed|shoved|assaulted|hurt|hurts|threatened|"
               r"threatens|threatening|abuses|abused|abusing|strangles)")

# Suppressor groups. Where each one counts is decided in _Scanned.suppressed: the groups in
# _OVERLAP_ONLY must overlap the match itself ("overdose prevention"), the others must be in
# the match's clause and within SUPPRESSOR_WINDOW characters of it. So "he overdosed and I
# have no narcan kit" and "I lost a friend to an overdose last year he has a gun" still fire.
_INSTITUTIONAL = _any([
    r"(?:overdoses?|overdosing|suicide|suicidal) (?:prevention|awareness|education|reversal|"
    r"response|trainings?|kits?|deaths?|rates?|statistics|stats|epidemic|crisis|data|research|"
    r"class|classes|workshops?|day|risk|ideation screening|screening)",
    r"(?:prevent|preventing|prevention of|reduce|reducing|fewer) (?:an |a |the |opioid |drug |"
    r"fatal )?(?:overdoses?|suicides?|overdosing)",
    r"(?:narcan|naloxone|overdose|suicide prevention) (?:training|class|workshop)",
    r"overdose (?:hotline|helpline|line|phone line) (?:number|for)",
    r"(?:whats|what is|number for|number of) the overdose (?:hotline|helpline|line)",
    r"(?:overdos\w*|od) on (?:coffee|caffeine|sugar|candy|chocolate|netflix|tv|memes|work|"
    r"pizza|cake)",
])
_GRIEF = _any([
    r"lost .{0,40}? to (?:an |a |his |her |their )?(?:overdose|suicide)",
    r"(?:died|dead|passed away|passed) (?:of|from|by|after) (?:an |a )?(?:overdose|suicide)",
    r"(?:committed|completed|died by|death by|lost \w+ to) suicide",
])
_PAST = _any([
    r"(?:last|this past|past) (?:year|month|summer|winter|spring|fall|christmas|weekend)",
    r"(?:\d+|a|one|two|three|four|five|six|few|couple(?: of)?|many|several) (?:years?|months?|"
    r"weeks?) ago",
    r"years ago", r"in (?:19|20)\d\d", r"used to", r"in the past", r"back (?:when|in|then)",
    r"when i was (?:younger|a kid|a teen|a teenager|in high school|little|a child|using)",
    r"as a (?:kid|child|teen)", r"(?:a )?long time ago", r"a while (?:ago|back)",
    r"before i got (?:sober|into recovery|help)", r"(?:since|after) (?:my|his|her|an|the) "
    r"overdose", r"survived (?:an |my |a |his |her )?overdose", r"overdose survivor",
    r"at one point", r"(?:ive|i have|have|was|been) (?:been )?suicidal (?:before|in the past)",
])
_HYPOTHETICAL = _any([
    r"if (?:someone|somebody|a person|people|you|your|a friend|anyone|a loved one)",
    r"if (?:he|she|they|i) (?:ever |ever were to |were to )?(?:overdose|overdoses)",
    r"in case (?:of|someone|somebody)", r"signs? of", r"symptoms of",
    r"how (?:do|can|would|should|will) (?:i|you|we|someone|people) (?:tell|know|spot|recognize|"
    r"prevent)",
    r"how to (?:tell|know|spot|recognize|prevent)",
    r"what (?:to do|do you do|should (?:i|you|we) do) (?:in|during|for|if|when)",
    r"what happens (?:if|when)", r"can (?:you|i|someone|people|u) (?:overdose|die)",
    r"is it possible to",
    r"(?:reduce|lower|avoid) (?:the )?(?:risk|chance)", r"at risk", r"never use alone",
])
_FEARED = _any([
    r"(?:scared|afraid|worried|fear|risk|chance|terrified|nervous) (?:of|about) "
    r"(?:overdosing|an overdose|overdose|overdoses)",
    r"(?:scared|afraid|worried|fear|terrified|nervous)(?: that)? (?:\w+ ){0,3}(?:will|might|"
    r"could|would|is going to|going to|may) (?:overdose|die)",
])
_NEGATED = _any([
    r"(?:not|never|no longer|isnt|arent|wasnt|nothing) (?:feeling |been |really |that )?"
    r"suicidal", r"no suicidal", r"(?:not|never) (?:in )?(?:a )?(?:crisis|suicide)",
    r"(?:dont|do not|didnt) (?:have|feel|mean) (?:any )?suicid\w*",
])
_PAST_RECURRING = _any([
    r"again", r"coming back", r"came back", r"its back", r"back again", r"returned",
    r"returning", r"lately", r"these days", r"right now", r"tonight",
])
_RESPOND_CONTEXT = _any([
    r"texts?", r"messages?", r"calls?", r"emails?", r"dms?", r"voicemails?", r"applications?",
    r"website", r"office", r"clinic", r"sponsor", r"caseworker", r"case manager", r"counselor",
    r"landlord", r"program", r"insurance", r"doctor", r"provider", r"therapist", r"facility",
    r"detox", r"(?:sober|recovery) house", r"treatment", r"medication", r"meds",
    r"suboxone", r"methadone", r"vivitrol",
])
_IDIOM_KILL = _any([
    r"kill me (?:when|if|once|after|for) (?:(?:she|he|they|my \w+|mom|dad|i) )?(?:finds? out|"
    r"sees?|hears?|learns?|knows?|gets? home|found out)",
    r"(?:kill|murder) me (?:lol|lmao|haha|lmfao)", r"literally (?:kill|murder) me when",
    r"kill me (?:if|when) i (?:miss|skip|relapse|use again|forget|am late|mess up|slip|dont go|"
    r"dont show)",
    r"hit(?:s|ting)? (?:me|us) up", r"beat (?:me|us) to it", r"hit (?:me|us) back",
    r"threaten\w* (?:me )?(?:with|to) (?:evict\w*|kick|discharge|court|report|call|take)",
])
_HOWTO = _any([
    r"how (?:do|can|would|should) (?:i|you|we|someone|people)", r"how to", r"learn\w*",
    r"teach\w*", r"trainings?", r"class(?:es)?", r"where (?:can|do|could) (?:i|we|you)",
])

_SUPPRESSORS: dict[str, re.Pattern[str]] = {
    "institutional": _INSTITUTIONAL, "grief": _GRIEF, "past": _PAST,
    "hypothetical": _HYPOTHETICAL, "negated": _NEGATED, "respond_context": _RESPOND_CONTEXT,
    "idiom_kill": _IDIOM_KILL, "howto": _HOWTO, "feared": _FEARED,
}
#: These suppressors contain the crisis phrase itself ("overdose prevention", "kill me when
#: she finds out"), so they only count when they overlap the match. The others count when
#: they are in the same clause and within SUPPRESSOR_WINDOW characters of the match.
_OVERLAP_ONLY = frozenset({"institutional", "grief", "feared", "idiom_kill"})
SUPPRESSOR_WINDOW = 40

_OVERDOSE_WORD_SUPPRESSORS = ("institutional", "grief", "past", "hypothetical", "feared")


@dataclass(frozen=True)
class _Rule:
    name: str
    kind: str
    pattern: re.Pattern[str]
    suppressors: tuple[str, ...] = ()


def _rule(name: str, kind: str, patterns: Iterable[str], suppressors: Iterable[str] = ()) -> _Rule:
    return _Rule(name, kind, _any(patterns), tuple(suppressors))


#: Checked in order; the first rule that fires decides the kind. Overdose comes first (the
#: steps are the most time-critical), then danger, then suicide risk, then generic emergencies.
RULES: tuple[_Rule, ...] = (
    # ---- overdose: signs that someone is dying now (never suppressed)
    _rule("not_breathing", "overdose", [
        r"(?:not|isnt|arent|wasnt|stopped|stop|quit|barely|hardly|cant|no longer|isnt really|"
        r"not really|trouble|struggling|no) br(?:ea|e|ae)t?h(?:ing|e|ng)?",
        r"breathing (?:\w+ ){0,2}(?:slow|shallow|weird|funny|strange|slowed|wrong|faint)",
        r"gasping(?! for (?:a )?(?:job|bed|help))", r"eyes (?:rolled|rolling|are rolling) "
        r"(?:back|up)", r"slumped over",
        r"no (?:pulse|heartbeat|heart beat)", r"gurgling",
        r"cant (?:feel|find) (?:my|his|her|their|a) (?:heartbeat|heart beat|pulse)",
        r"snoring (?:sound|noise)",
        r"choking on (?:his|her|their) (?:own )?(?:vomit|puke|throw up)",
    ]),
    _rule("wont_wake", "overdose", [
        r"(?<!\bi\s)(?<!\bim\s)(?<!hope\s)(?<!and\s)(?<!to\s)(?:wont|wouldnt|isnt|not|arent) "
        r"(?:wake|waking)(?: up)?(?! me| us| early| in time| on time)",
        r"(?:shake|shaking|shook|slapping|pinching|yelling at) (?:him|her|them)(?: \w+){0,3} "
        r"(?:and|but) (?:nothing|no response|he wont|she wont|they wont|hes not|shes not)",
        r"(?:not|isnt|wont) (?:answering|responding|reacting)(?: \w+){0,3} (?:shake|shaking|"
        r"shook)",
        r"(?:cant|cannot|couldnt) keep (?:him|her|them|my \w+) (?:awake|up|breathing|conscious)",
        r"(?:giving|gave|doing|did|started|start) (?:him |her |them |my \w+ )?"
        r"(?:rescue breath\w*|cpr|chest compressions)",
        r"found (?:him|her|them|my " + _KIN + r") (?:\w+ )?(?:on|in) (?:the|his|her|their|my) "
        r"(?:\w+ )?(?:floor|bathroom|car|bed|couch|yard)",
        r"(?<!\bi\s)(?:wont|wouldnt) wake",
        r"(?:cant|couldnt|unable to|trying to|tried to|try to|tryin to) wake (?:him|her|them|"
        r"my \w+|\w+ up)",
        r"cant get (?:him|her|them|my \w+) (?:to )?(?:wake|up|breath\w*|respond)",
    ]),
    _rule("unresponsive", "overdose", [
        r"unresponsive", r"unconscious", r"not conscious", r"out cold", r"passed out and",
        r"(?:hes|shes|theyre|he|she|they|" + _KIN[3:] + r" (?:just )?(?:collapsed|passed out)",
        r"foaming at the mouth", r"not moving and",
        r"(?:im|i am|hes|shes|theyre|feel like im|i feel like im) (?:fading|slipping|blacking) "
        r"(?:out|away)",
        r"(?:somebody|someone|he|she|they|hes|shes|" + _KIN[3:] + r" (?:just )?(?:fell out|fell "
        r"over|went down|dropped)(?! with| of| the| about| over| out| off| by| me| his| her| in)",
        r"(?:shot|hit|used|did a line|did a shot|snorted|smoked|injected)(?: \w+){0,3} (?:and|"
        r"then) (?:dropped|fell out|fell over|went down|passed out|collapsed)",
        r"(?:wont|isnt|hasnt|not|wouldnt|didnt) (?:come|coming|came) out of (?:the|his|her|their) "
        r"(?:bathroom|restroom|stall)",
        r"(?:bathroom|restroom|stall)(?: \w+){0,4} (?:wont|isnt|not|wouldnt) (?:come out|coming "
        r"out|answer\w*|respond\w*|open\w*)",
        r"(?:in|locked in) the (?:bathroom|restroom|stall) (?:for )?(?:an hour|a long time|too "
        r"long|forever|\d+ (?:minutes|mins|hours)) (?:and|not|wont|isnt)",
        r"(?:hes|shes|theyre|he|she|they|friend|boyfriend|girlfriend|brother|sister|son|daughter|"
        r"husband|wife|partner|roommate|mom|dad|baby) (?:is |isnt |just )?(?:not|isnt|stopped|"
        r"wont stop|cant stop) (?:moving|shaking|twitching)",
    ]),
    _rule("not_responding", "overdose", [
        r"(?:not|isnt|arent|wont|stopped|doesnt|didnt) (?:responding|respond|responsive)",
    ], ["respond_context", "past"]),
    _rule("turning_blue", "overdose", [
        r"(?:lips|lip|face|skin|fingers|fingertips|nails) (?:are |is |r |look |looks |turning |"
        r"turned |going |gone |getting )?(?:all |a )?(?:blue|purple|gray|grey|pale blue|"
        r"(?:weird|strange|funny|bad|wrong|dark) colou?r)",
        r"(?:blue|purple|grey|gray) (?:lips|face|fingertips|nails)",
        r"turning (?:blue|purple|gray|grey)", r"cold and (?:blue|gray|grey|purple|stiff)",
        r"(?:hes|shes|theyre|he|she|they) (?:is |was |looks |turned |went |going |getting |gone |"
        r"all |is all |is turning )?(?:blue|purple|gray|grey)",
        r"(?:found|find|finding) (?:him|her|them|my \w+|\w+) (?:all )?(?:blue|purple|gray|grey|"
        r"slumped|cold and|not breathing|unconscious|unresponsive)",
    ]),
    _rule("naloxone_failing", "overdose", [
        r"(?:narcan|naloxone)(?: spray| dose| shot)? (?:is |was |it )?(?:(?:isnt|not|didnt|"
        r"doesnt|wont|isnt) (?:working|work|helping|help|doing anything|do anything|doing nothing|"
        r"bringing|bring)|did nothing|does nothing|isnt doing)",
        r"(?:need|needs|get|bring|grab) (?:the |some )?(?:narcan|naloxone) (?:now|right now|asap|"
        r"quick|fast|immediately|hurry)",
        r"(?:second|another|2nd|third|more) (?:dose|spray) of (?:narcan|naloxone)",
    ]),
    _rule("naloxone_given", "overdose", [
        r"(?:gave|give|giving|used|sprayed|spraying|hit|hitting|used the) (?:him|her|them|"
        r"my \w+|\w+) (?:with )?(?:a |the |some |two |three |\d |another )?(?:narcan|naloxone)s?",
        r"(?:gave|used|sprayed) (?:the |some |a )?(?:narcan|naloxone) (?:on|to)",
        r"narcanned", r"(?:went|gone|going|nodded|nodding|slipping) back (?:out|under)"
        r"(?! to| for| with| and got| there| side| of)",
    ], ["howto", "past", "hypothetical"]),
    _rule("too_much", "overdose", [
        r"(?:took|taken|did|done|used|shot|snorted|smoked|swallowed|ate|popped|dropped|injected|"
        r"shot up) (?:way |much |far )?to+ (?:many|much)(?! time| long| money| of my time)",
        r"(?:took|swallowed|ate|popped|downed|taken) (?:a |the |an |my |his |her )?(?:whole |"
        r"entire |full )?(?:bottle|handful|bunch|fistful|box|pack|lot|ton)(?: of)? (?:my |his |"
        r"her |the |\w+ )?" + _PILLS,
        r"(?:took|swallowed|ate|popped|downed|taken) (?:like |about |around |maybe |over |almost "
        r"|at least )?(?:all|\d{2,}|twenty|thirty|forty|fifty|"
        r"a hundred) (?:of )?(?:my |his |her |the |\w+ )?" + _PILLS,
        r"(?:swallowed|drank|ate) (?:some )?(?:bleach|poison|antifreeze|rat poison|drain cleaner)",
        r"(?:drank|drinking)(?: \w+){0,5} (?:and|then|plus|with) (?:took|taking|popped|popping)"
        r"(?: \w+){0,2} (?:pills|xanax|bars|benzos|percs|oxys?|klonopin|valium)",
    ], ["past", "hypothetical"]),
    _rule("overdosing_now", "overdose", [r"overdosing"],
          ["institutional", "past", "grief", "feared"]),
    _rule("overdose_word", "overdose", [r"overdosed", r"overdoses?"], _OVERDOSE_WORD_SUPPRESSORS),
    _rule("od_typed_odd", "overdose", [
        r"(?:he|she|they|i|hes|shes|theyve|ive|someone|somebody|just|has|have|boyfriend|"
        r"girlfriend|friend|brother|sister|son|daughter|mom|dad|roommate|husband|wife|cousin|"
        r"partner|buddy|guy|girl) odd(?! (?:hours|jobs?|number|thing|things|question|feeling))",
    ], ["past", "hypothetical"]),
    _rule("dying_now", "overdose", [
        r"(?:i think|pretty sure|i feel like) (?:hes|shes|theyre|my \w+ is|my \w+s) (?:dying|dead)",
        r"(?:hes|shes|theyre) (?:about to|going to) die",
        r"(?:is|hes|shes|im|theyre|been|keeps) having (?:a |another )?seizures?",
        r"having (?:a |another )?seizure (?:right now|now)",
        r"(?:is|hes|shes|im|started|keeps|theyre) (?:seizing|convulsing)",
    ], ["past"]),
    # ---- danger: violence, threats, weapons
    _rule("threat_to_kill", "danger", [
        r"(?:hell|shell|theyll|hed|shed) (?:kill|hurt|shoot|stab|beat|murder|strangle|choke) "
        r"(?:me|us|my (?:kids?|children|baby|son|daughter))",
        r"(?:hands?|arms?|rope|belt|cord) (?:around|on|round) my (?:neck|throat)",
        r"(?:going to|trying to|try to|threaten\w* to|will|wants to|about to|coming to|"
        r"(?:says|said) (?:hes|shes|theyre|he|she|they|hell|shell|hed|shed)(?: going to| will|"
        r" would)?) (?:kill|hurt|shoot|stab|beat|murder|strangle|choke|rape) (?:me|us|my (?:kids?"
        r"|children|baby|son|daughter|family|mom|mother|wife|husband|partner|girlfriend|"
        r"boyfriend))",
    ], ["idiom_kill", "past"]),
    _rule("being_hurt", "danger", [
        _PERSON + r" (?:is |are |keeps |keep |has been |have been |been |just |always |still |"
        r"started |is always |used to |would )?" + _HURT_VERBS
        + r" (?:me|us|my (?:kids?|children|baby|son|daughter|mom|mother|sister|brother|wife|"
        r"girlfriend|boyfriend|husband|friend|dad|father|grandma|grandmother))"
        r"(?! back| to it| with "
        r"(?:a |the |his |her )?(?:question|text|call|bill|fee|request|message))",
        r"(?:someone|somebody|a man|a guy|a car|he|she|they|theres someone) (?:is |are |keeps |"
        r"has been |been )?(?:following|stalking|chasing) (?:me|us)",
        r"(?:beating|hitting|wailing|whaling|putting hands) on (?:me|us)",
        r"put(?:ting|s)? (?:his|her|their) hands on (?:me|us|my (?:kids?|children|baby))",
        r"(?:dragged|dragging|drags|grabbed|grabbing|pulled|pulling|yanked) me by (?:my )?(?:hair|"
        r"neck|throat|arms?)",
        r"(?:somebody|someone|he|she|they|a guy|a man|theyve|" + _PERSON[3:] + r" (?:just )?"
        r"(?:shot|stabbed) (?:my|me|him|her|them|a|the|someone|somebody)(?! up| dope| heroin| "
        r"fent\w*| a (?:video|photo|picture|text|message|email)| hoops| pool| the breeze| up)",
        r"(?:threatening|threatened|threatens|stalking|abusing|assaulting|attacking|beating|"
        r"choking|strangling|raping) (?:me|us)(?! up| back| to it)",
        r"(?:being|getting|got|been|was just|just got|im being|were being|keep getting) "
        r"(?:beaten|beat up|beat|hit|attacked|abused|raped|assaulted|stabbed|shot|choked|"
        r"strangled|followed|stalked|trafficked|threatened|kidnapped|robbed|jumped|hurt)"
        r"(?! up| on| with (?:a |an |the )?(?:huge |big |large |\w+ )?(?:bill|fee|charge|fine|"
        r"ticket|question|lawsuit))",
        r"abusive (?:relationship|partner|boyfriend|girlfriend|husband|wife|ex|home|household|"
        r"parent|dad|mom)", r"domestic (?:violence|abuse)", r"sexually assaulted",
        r"raped me", r"\w+ raped",
    ], ["idiom_kill", "past"]),
    _rule("weapon", "danger", [
        r"(?:someone|somebody|he|she|they|hes|shes|theyre|theres (?:a |some )?(?:guy|man|woman|"
        r"person|dude|people)|a (?:guy|man|woman|person|dude)|guy|man|dude|husband|boyfriend|"
        r"partner|ex|dad|brother|roommate|neighbor|dealer|my \w+)(?: \w+){0,5} "
        r"(?:has|have|had|got|with|"
        r"pulled|pulling|holding|waving|pointing|pointed|carrying|brought|grabbed|grabbing|is "
        r"holding|just pulled|has got) (?:out )?(?:a |an |his |her |their |the )?"
        + _WEAPON + r"(?! charge| license| permit| case| conviction| possession| safe| lock)",
        r"(?:gun|knife) (?:to|at|in) my (?:head|face|chest|throat|neck)",
        r"(?:pointing|pointed|aiming|aimed) (?:a |the |his |her )?(?:gun|knife|weapon) at",
        r"shots? fired", r"active shooter", r"gunshots?", r"gun shots?",
        r"theres (?:a |some )?shooting",
        r"(?:theres|there has|there have) been (?:a )?shootings?",
        r"(?:bullets|shots) (?:flying|everywhere)",
        r"(?:someone|somebody|people|theyre|hes|shes|theres someone|someones) (?:is |are )?"
        r"shooting(?! up| dope| heroin| fent\w*| meth| drugs| coke| speed| it)",
    ], ["past"]),
    _rule("not_safe", "danger", [
        r"(?:im|i|were|we|me|my (?:kids?|children|baby)|kids|children) (?:am |are |is )?(?:not|no "
        r"longer|never) safe(?! to)",
        r"(?:dont|do not|never|no longer) feel safe", r"feel(?:ing)? unsafe",
        r"unsafe (?:here|at home|right now)",
        r"not safe (?:here|at home|right now|anymore|with (?:him|her|them)|in (?:my|this|the) "
        r"(?:house|home|apartment|place))",
        r"(?:scared|afraid|fear|fearing|fearful|terrified) for my (?:life|safety)",
        r"(?:im|i am) (?:scared|afraid|terrified) of (?:him|my (?:husband|boyfriend|partner|ex|dad|"
        r"stepdad|pimp|wife|girlfriend|roommate))",
        r"wont let me (?:leave|go|out)",
        r"throw\w* (?:things|stuff|\w+) at (?:me|us|my (?:kids?|children|baby))",
        r"(?:im|i am|were|we are) hiding (?:from|in)(?! plain sight)",
        r"(?:broke|breaking|break|kicking|kicked|kick|busting|busted|bust|banging on|pounding on)"
        r" (?:down |in )?"
        r"(?:the |my |our )?door(?: down| in)?",
        r"locked me in", r"kidnapp?ed", r"held (?:me )?(?:hostage|against my will)",
        r"trafficking me",
        r"(?:a man|a guy|people|theyre|" + _PERSON[3:] + r" (?:is |are |just )?(?:breaking|"
        r"broke|trying to break) in(?:to)?",
        r"threaten\w* to (?:kill|hurt|shoot|stab|beat|take) (?:her|him|them|my|the|people|"
        r"everyone|someone|us|me)", r"threatening (?:people|everyone|someone|us|the staff)",
        r"(?:hes|shes|theyre|he is|she is) (?:dangerous|violent|armed|out of control)",
        r"(?:get away|escape|run away|hide) from (?:him|her|them|my (?:husband|boyfriend|partner|"
        r"ex|wife|girlfriend|dad|stepdad|father|pimp|roommate))",
        r"(?:want|going|about|plan\w*|trying) to (?:kill|hurt|shoot|stab) (?:someone|somebody|"
        r"people|everyone)",
    ], ["past"]),
    # ---- suicide risk and self-harm
    _rule("kill_myself", "suicide", [
        r"kil+(?:ing|ed)? myself",
        r"(?:end|ending|take|taking|took) (?:my|my own) (?:life|lives)(?! back| in| into| one|"
        r" seriously| day| over)",
        r"end (?:it all|it tonight|everything|things tonight|it now|my suffering)",
        r"(?:want|going|need|ready|plan|planning|thinking about|thinking of|think about|"
        r"thought about|gonna|about) (?:to )?end(?:ing)? (?:it|things|everything)(?! with| off)",
        r"to end (?:it|things|everything)(?! with| off| for| between)",
        r"(?:saved|saving|stockpiled|stockpiling|hoarding|hoarded) (?:up )?(?:pills|meds)",
        r"(?:shoot|hang|drown|stab|poison|kil+) myself",
        r"(?:sleep|asleep) and (?:not|never) wake up",
        r"way out (?:is |except |but |besides |other than )(?:dying|death|suicide|killing myself|"
        r"to die)", r"(?:see|is|theres|there is) no (?:way out|way forward)(?! of| from| for)",
        r"(?:drive|crash|driving|crashing|drove) (?:my |the )?(?:car |truck )?(?:into|off) (?:a |"
        r"the )?(?:wall|tree|bridge|pole|cliff|traffic|river|lake|oncoming)",
        r"ways to (?:die|kill (?:myself|yourself)|end (?:it|my life)|commit suicide)",
        r"last time (?:you|anyone|anybody)(?:ll| will)? (?:hear from|see|talk to) me",
        r"(?:you|nobody|no one)(?:ll| will) never (?:hear from|see) me again",
        r"(?:im|i am|ill|i will|going to) end(?:ing)? it(?! with| off| for| between| now with)",
        r"tired of (?:living|being alive|life|existing)(?! in| at| with| like| on| here| there|"
        r" out| paycheck)",
        r"(?:the |a |my )?(?:rope|noose) (?:is )?(?:ready|set up|tied|up)",
        r"(?:got|have|bought|found) (?:the |a )?(?:rope|noose)",
        r"tonight is the night(?! (?:i|we) (?:go|start|get|try|quit|stop|call|check|make|finally))",
        r"(?:im|i am) done for good(?! with (?:drugs|using|drinking|alcohol|heroin|fent\w*|meth|"
        r"pills|dope|it|that|this|them|him|her))",
        r"(?:letters?|notes?|messages?|texts?) (?:\w+ ){0,4}(?:to say|saying) goodbye",
        r"(?:found|read|saw|finds) my (?:suicide |goodbye )?note",
        r"took (?:my|the) (?:pills|meds|gun|guns|knife|knives) away",
        r"(?:standing|sitting|im|i am) on (?:the |a |this )?(?:bridge|ledge|roof|edge|overpass|"
        r"railroad tracks|train tracks|tracks)",
        r"(?:planning|plan|planned|figured out|figuring out|decided) (?:how|when) (?:to|i will|"
        r"im going to|ill) (?:do it|end it|die)",
        r"kil+(?:ing|ed|s)? (?:herself|himself|themselves|themself)",
        r"(?:shot|shoot|shoots|hanged|hung|hang|hangs|hanging|cut|cuts|cutting|stabbed|stab|hurt|"
        r"hurting|harmed|harming|poisoned|drowned|strangled) (?:herself|himself|themselves|"
        r"themself)(?! up| in the foot)",
        r"(?:use|using|turn|turning) (?:it|a gun|the gun|a knife|the knife) on myself",
        r"bought (?:a )?rope", r"(?:tie|tied|tying|make|made) a noose",
        r"(?:jump|jumping) (?:off|in front of) (?:a |the |this |that )?(?:bridge|building|roof|"
        r"train|car|cliff|balcony|overpass)",
        r"overdose on purpose",
        r"(?:take|taking|swallow|swallowing) (?:all (?:of )?(?:my|the)|every(?: single)?) "
        r"(?:pills?|meds)",
        r"(?:easiest|best|quickest|painless|fastest|easy|quick|surest) ways? to (?:die|kill "
        r"(?:yourself|myself)|end it|end my life)",
        r"how (?:to|do you|do i|can i|can you|would i) kill (?:yourself|myself)",
        r"how (?:many|much) (?:\w+ ){0,3}(?:would|will|does it take to|to) kill (?:me|you|"
        r"someone|a person)",
    ], ["past"]),
    _rule("self_harm", "suicide", [
        r"(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|hit|hitting|starve|starving) "
        r"myself", r"self\s*harm\w*", r"cutting again",
    ], ["past"]),
    _rule("want_to_die", "suicide", [
        r"(?<!dont\s)(?<!never\s)(?<!didnt\s)(?<!not\s)(?<!doesnt\s)want(?:ed|s)? (?:to )?di+e"
        r"(?! sober| clean| in recovery| of old age| old| a natural)",
        r"(?:im|i am|im so|im just) done with (?:life|living|everything|it all|this life|"
        r"being alive)",
        r"off myself", r"(?:theres |there is )?no point (?:anymore|in anything|in trying anymore)",
        r"(?:ill|i will|im going to|im gonna) be dead (?:soon|by|tomorrow|tonight)",
        r"make it through (?:tonight|the night)",
        r"(?:not|wont|dont think ill|dont think i will) make it (?:to|til|until|till) (?:morning|"
        r"tomorrow)",
        r"wish (?:i|i was|i were|i could) (?:was |were |just )?(?:dead|die|disappear forever)",
        r"(?:want|going|need) to (?:just )?disappear forever",
        r"wish i could (?:just )?(?:disappear|vanish|not exist|stop existing|sleep forever)",
        r"(?:want|wanted|wish|going) to (?:just )?(?:stop existing|not exist|not be alive)",
        r"(?:hope|wish) i (?:dont|never|wont|wouldnt|didnt) wake up",
        r"wish (?:i|id) (?:wasnt|werent|was never|had never been|never was|never been) (?:born|"
        r"alive|here|around)",
        r"(?:dont|do not) want to (?:be alive|live|be here|exist|wake up|go on living|be around)"
        r"(?! like| this way| that way| in| with| there| at| on| near| around here| early)",
        r"better off (?:dead|without me|if i (?:was|were|wasnt|werent) (?:gone|dead|here|around))",
        r"(?:no|not any|isnt any|theres no|dont have a|dont have any|dont see (?:a|any)) "
        r"(?:reason|point) (?:to|in|for) (?:live|living|go on|going on|keep going|be alive|"
        r"being alive|wake up|waking up|me to live)",
        r"nothing (?:left )?to live for",
        r"(?:life|living) (?:isnt|is not|not) worth (?:it|living)",
        r"not worth living", r"rather (?:be )?dead", r"(?:id|i would) rather die",
        r"feel like dying",
        r"(?:think|thinking|thought|dream|dreaming) (?:about|of) (?:dying|being dead|not being "
        r"(?:here|alive)|not waking up|killing myself|ending it)",
        r"want to (?:just )?be gone", r"(?:im|i am) ready to die",
        r"(?:want|wish) (?:it|this|everything) (?:all )?(?:to )?(?:end|be "
        r"over)(?! soon| already)", r"want it all to end", r"sleep forever", r"never wake up",
        r"whats the point (?:of|in) (?:living|life|going on|anything|being alive)",
        r"cant go on(?! methadone| suboxone| medication| meds| vivitrol| a| the| my| that| this|"
        r" with| to| line| any)",
        r"cant (?:do this|take it|take this|keep going|live like this|handle this|keep living) "
        r"anymore", r"cant keep (?:living|going like this)",
        r"goodbye forever", r"final goodbye", r"this is (?:my )?goodbye",
        r"saying (?:my )?goodbyes? to (?:everyone|everybody|you all|yall)",
        r"(?:wont|will not|not going to) be (?:here|around|alive) (?:tomorrow|much longer|anymore|"
        r"by morning|next week)",
        r"(?:nobody|no one|noone) (?:would|will|is going to) (?:even |really |ever )?(?:care|"
        r"miss me|notice)"
        r"(?: \w+)? if i (?:die|died|was gone|were gone|disappeared|killed)",
        r"(?:write|wrote|writing|left) (?:a |my )?(?:suicide|goodbye) (?:note|letter)",
    ], ["past"]),
    _rule("suicidal", "suicide", [r"suicidal", r"suicide"],
          ["institutional", "grief", "past", "negated"]),
    # ---- generic emergency (lowest priority)
    _rule("bleeding", "danger", [
        r"(?:bleeding|bleeds) (?:a lot|badly|bad|everywhere|heavily|out|so much|wont stop|"
        r"really bad)", r"(?:im|hes|shes|theyre|is|were|i am) bleeding",
        r"(?:lots?|so much|a ton) of blood", r"blood everywhere", r"losing (?:a lot of )?blood",
    ], ["past"]),
    _rule("urgent_and_serious", "danger", [
        _URGENT + r"(?: \w+){0,4} " + _SERIOUS, _SERIOUS + r"(?: \w+){0,4} " + _URGENT,
    ], ["past", "institutional", "grief", "hypothetical"]),
    _rule("emergency", "danger", [
        r"(?:call|calling|called|dial|dialing|dialed|phone) (?:911|9 1 1|an ambulance|the police|"
        r"the cops|emergency services)",
        r"(?:need|send|get|want) (?:an |a )?(?:ambulance|paramedics?|emts?)",
        r"(?:its|this is|we have|i have|having|theres) an? (?:medical )?emergency",
        r"medical emergency",
    ]),
)


# --------------------------------------------------------------------------- detection

# Suppressors look only at the clause around a match. Chat messages often have no
# punctuation, so "and", "so", "then" and a new "i" also start a clause: "i lost a friend to
# an overdose last year i want to die" must not let "last year" silence "want to die".
_CLAUSE_BREAK = re.compile(
    r"[.!?;,]+|\b(?:but|and|so|then|plus|also)\b"
    r"|\s(?=(?:what|how|where|why|can you|can i|could i|is it|is there|are there|do you|"
    r"does|should i)\b)"
    r"|(?<!\bwhen)(?<!\bsince)(?<!\bbefore)(?<!\bafter)(?<!\bif)(?<!\bthat)(?<!\bbecause)"
    r"(?<!\bcause)(?<!\buntil)(?<!\btil)(?<!\bwhere)(?<!\bwhat)(?<!\bhow)(?<!\bwhy)"
    r"(?<!\bhe)(?<!\bshe)(?<!\bi)(?<!\bwhile)(?<!\bonce)(?<!\bthan)(?<!\bthink)(?<!\bsaid)"
    r"(?<!\bsays)(?<!\bknow)(?<!\bhope)(?<!\bwish)(?<!\bfeel)(?<!\bscared)(?<!\bafraid)"
    r"(?<!\bworried)\s(?=(?:i|im|my|he|hes|she|shes|they|theyre|someone|somebody|theres)\b)"
)
_CLAUSE_PUNCT = re.compile(r"[.!?;,]")


def detect_crisis(text: str) -> CrisisSignal | None:
    """Return what kind of crisis `text` signals, or None.

    Never raises: any input, however strange, gets an answer.
    """
    if not isinstance(text, str):
        return None
    once = normalize(text, stretched_to=1)
    twice = normalize(text, stretched_to=2)
    for norm in (once,) if twice == once else (once, twice):
        signal = _detect_normalized(norm)
        if signal is not None:
            return signal
    return None


def locate(text: str, signal: CrisisSignal) -> tuple[int, int]:
    """Start and end of the phrase that fired in the original `text`.

    The whole text when normalization rewrote the phrase ("OD'd" fired as "overdosed").
    """
    words = signal.matched.split()
    if words:
        found = re.search(r"\W+".join(re.escape(w) for w in words), text, re.IGNORECASE)
        if found:
            return found.start(), found.end()
    return 0, len(text)


def _detect_normalized(norm: str) -> CrisisSignal | None:
    if not norm:
        return None
    text = _Scanned(norm)
    for rule in RULES:
        for match in rule.pattern.finditer(text.flat):
            if not text.suppressed(rule, match.start(), match.end()):
                return CrisisSignal(rule.kind, " ".join(match.group(0).split()), rule.name)
    return None


class _Scanned:
    """One normalized message with its clause breaks and suppressor spans, found once.

    Every lookup is a binary search, so a long message full of suppressed near-misses still
    takes linear time, not quadratic.
    """

    def __init__(self, norm: str) -> None:
        self.length = len(norm)
        self.flat = _CLAUSE_PUNCT.sub(" ", norm)  # same length as norm, so positions line up
        breaks = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(norm)]
        self._break_starts = [b[0] for b in breaks]
        self._break_ends = [b[1] for b in breaks]
        self._spans: dict[str, tuple[list[int], list[int], int]] = {}
        self._recurring: bool | None = None

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Start and end of the clause that holds [start, end)."""
        i = bisect.bisect_right(self._break_ends, start) - 1
        j = bisect.bisect_left(self._break_starts, end)
        left = self._break_ends[i] if i >= 0 else 0
        right = self._break_starts[j] if j < len(self._break_starts) else self.length
        return left, right

    def suppressed(self, rule: _Rule, start: int, end: int) -> bool:
        for name in rule.suppressors:
            if name in _OVERLAP_ONLY:
                lo, hi = start, end
            else:
                left, right = self.clause(start, end)
                lo = max(left, start - SUPPRESSOR_WINDOW)
                hi = min(right, end + SUPPRESSOR_WINDOW)
            if not self._has_span(name, lo, hi):
                continue
            if name == "past" and self._is_recurring():
                continue  # "I used to ... and it's coming back" is a crisis now
            return True
        return False

    def _has_span(self, name: str, lo: int, hi: int) -> bool:
        """Whether a match of suppressor group `name` overlaps [lo, hi)."""
        if name not in self._spans:
            found = [(m.start(), m.end()) for m in _SUPPRESSORS[name].finditer(self.flat)]
            longest = max((e - s for s, e in found), default=0)
            self._spans[name] = ([s for s, _ in found], [e for _, e in found], longest)
        starts, ends, longest = self._spans[name]
        first = bisect.bisect_left(starts, lo - longest)
        last = bisect.bisect_left(starts, hi)
        return any(ends[k] > lo for k in range(first, last))

    def _is_recurring(self) -> bool:
        if self._recurring is None:
            self._recurring = _PAST_RECURRING.search(self.flat) is not None
        return self._recurring
