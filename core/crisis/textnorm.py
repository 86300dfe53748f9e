"""Normalization: one spelling for the many ways people type the same crisis words.

See docs/crisis-detection.md (Normalization).
"""

from __future__ import annotations

import re
import unicodedata

from core.crisis.model import MAX_CHARS

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

