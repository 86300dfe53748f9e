"""Normalization: one spelling for the many ways people type the same crisis words.

See docs/crisis-detection.md (Normalization).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

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

#: Misspellings, under the spelling the rules use (each typed form is one word).
_MISSPELLINGS: dict[str, tuple[str, ...]] = {
    # overdose shorthand ("od'd" arrives here as "oded")
    "overdose": ("od",),
    "overdoses": ("ods",),
    "overdosed": ("oded", "odded"),
    "overdosing": ("oding", "odding", "odeing", "odin"),
    # suicide and self-harm
    "suicide": ("sewerslide", "suicde", "sucide", "suiside", "suicid", "suecide"),
    "suicidal": ("suicidial", "sucidal", "suicdal", "suisidal", "suicidle", "sucidial",
                 "suecidal"),
    "myself": ("myslef", "mysef", "myslf", "meself", "mself"),
    # naloxone
    "narcan": ("narcn", "narcane", "narkan", "narcam", "narcen"),
    "naloxone": ("naloxon", "nalaxone", "naloxen", "naloxene", "nalox"),
    "narcanned": ("narcaned", "narcand", "narcanning"),
    # breathing, responding, dying
    "breathing": ("breating", "braething", "breatheing", "breathign", "breahing", "brething"),
    "unresponsive": ("unresponsve", "unresponive", "unresposive", "unresponisve",
                     "unrespnsive"),
    "dead": ("ded",),
    "dying": ("dieing",),
}
#: Words typed without their final g ("killin", "thinkin bout").
_DROPPED_G = (
    "killin", "thinkin", "tryin", "goin", "doin", "feelin", "livin", "respondin", "movin",
    "usin", "hurtin", "hittin", "beatin", "chokin", "threatenin", "followin", "shootin",
    "endin", "cuttin", "nothin", "overdosin", "breathin", "dyin", "wakin",
)
#: Texting shorthand and slang, one word for one word or phrase.
_SHORTHAND: dict[str, str] = {
    # self-harm
    "kms": "kill myself", "unalive": "kill", "unaliving": "killing", "unalived": "killed",
    # texting style
    "bout": "about", "wanna": "want to", "wana": "want to", "gonna": "going to",
    "gona": "going to", "finna": "going to", "tryna": "trying to", "gotta": "got to",
    "u": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "bf": "boyfriend",
    "gf": "girlfriend", "ppl": "people", "cuz": "because", "bc": "because", "rn": "right now",
    "aint": "isnt", "dnt": "dont", "cnt": "cant", "cannot": "cant", "w": "with",
}


def word_map(misspellings: Mapping[str, Iterable[str]], *others: Mapping[str, str]
             ) -> dict[str, str]:
    """One table, typed word -> the word the rules read, from `misspellings` (the right
    spelling -> how people misspell it) and `others` (typed -> read). A typed word listed
    twice is a mistake in the tables: ValueError, at import."""
    pairs = [(typed, right) for right, typos in misspellings.items() for typed in typos]
    pairs += [pair for other in others for pair in other.items()]
    table = dict(pairs)
    if len(table) != len(pairs):
        raise ValueError("a typed word is listed twice in the word maps")
    return table


#: Every one-word rewrite, typed word -> what the rules read.
_WORD_MAP = word_map(_MISSPELLINGS, {word: word + "g" for word in _DROPPED_G}, _SHORTHAND)

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

