"""Who is in danger: the person writing ("self"), someone else ("other"), or "unknown".

The reply to an overdose differs for the two ("Call 911 now" to the person who took too much,
"Stay with them" to a bystander), and peers read it first. The words decide, in this order:

1. a person word inside the phrase that fired ("kill *myself*", "gave *him* narcan",
   "*hes* going to kill *me*");
2. for an overdose or suicide risk, the nearest person word before it ("*my friend* isnt
   breathing", "*i* took too many pills"), else the first one after it;
3. for danger, who the harm is aimed at: "me"/"us" anywhere in the message is the writer.

Where no word says, the answer is "unknown" (the reply then speaks to both).
"""

from __future__ import annotations

import re

SELF, OTHER, UNKNOWN = "self", "other", "unknown"

_KIN_EN = (
    "son|daughter|friend|friends|boyfriend|girlfriend|brother|sister|husband|wife|partner|"
    "roommate|roomate|mom|dad|mother|father|cousin|uncle|aunt|nephew|niece|kid|kids|child|"
    "children|baby|buddy|grandson|granddaughter|fiance|fiancee|ex|neighbor|coworker|"
    "stepson|stepdaughter|grandma|grandpa|grandmother|grandfather|homie|bro|sis|"
    "guy|girl|man|woman|dude|person|lady|stranger|patient|client|resident|freind"
)
_KIN_ES = (
    "hijo|hija|hijos|amigo|amiga|novio|novia|esposo|esposa|marido|mujer|pareja|mama|papa|"
    "madre|padre|hermano|hermana|primo|prima|tio|tia|sobrino|sobrina|vecino|vecina|bebe|"
    "nino|nina|abuelo|abuela|companero|companera|compa|muchacho|muchacha|chavo|chava|"
    "senor|senora|hombre|persona|cunado|cunada|suegro|suegra|nieto|nieta|ex|carnal|wey|"
    "roomie"
)
_WORDS = {
    "en": (
        # first person: the writer
        re.compile(r"\b(?:i|im|ive|id|ill|me|myself|my(?! (?:" + _KIN_EN
                   + r")\b))\b"),
        # third person: someone else
        re.compile(r"\b(?:he|she|they|hes|shes|theyre|theyve|him|her|them|his|their|himself|"
                   r"herself|themselves|themself|someone|somebody|someones|" + _KIN_EN
                   + r")\b"),
    ),
    "es": (
        re.compile(r"\b(?:yo|me|mi(?! (?:" + _KIN_ES + r")\b)|mis|conmigo|nosotros|nos|estoy|"
                   r"quiero|voy|tome|tengo|siento|puedo|matarme|morirme|suicidarme|cortarme|"
                   r"ahorcarme|aventarme|tirarme|estamos)\b"),
        re.compile(r"\b(?:ella|ellos|ellas|se|alguien|esta|tomo|quiere|respira|despierta|"
                   r"reacciona|responde|tiene|puso|pone|trago|metio|dio|dice|sigue|" +
                   _KIN_ES + r")\b"),
    ),
}
#: "hitting *her*", "stabbed *my mom*", "threatened to kill *them*": harm aimed at another.
_HARM_TO_OTHER = re.compile(
    r"\b(?:hurting|hitting|beating|choking|strangling|attacking|raping|stabbing|kicking|"
    r"punching|slapping|abusing|stabbed|shot|hurt|kill|killing|hit|beat|beats|hits|"
    r"golpeando|golpea|pegando|pega|matar|apunalo|apunalaron|disparo|dispararon|golpearon|"
    r"pegaron|ahorcando) (?:a )?"
    r"(?:her|him|them|his \w+|their \w+|my \w+|her \w+|someone|somebody|people|everyone|"
    r"mi \w+|su \w+|la|lo|le)\b"
)
_REFLEXIVE = re.compile(r"\b(?:myself|himself|herself|themselves|themself|me|se)\b")
_PASSIVE = frozenset({"got", "getting", "been", "being", "was", "fue", "lo", "la", "le"})
#: Rules about reviving someone: the person in danger is not the one giving naloxone.
_BYSTANDER_RULES = frozenset({"naloxone_failing", "naloxone_given", "wont_wake", "narcan_es",
                              "no_despierta"})
#: Danger rules about someone's body ("hes bleeding", "911 shes dying"), not about an attacker:
#: the person in danger is the one the words are about, as for an overdose.
_SUFFERING_RULES = frozenset({"bleeding", "urgent_and_serious", "emergencia_es"})
_ME_OR_US = {
    "en": re.compile(r"\b(?:me|us|i|im|we|were|myself|my (?:door|house|home|apartment|room|"
                     r"place|window|life|safety|head|face|neck|throat|chest))\b"),
    "es": re.compile(r"\b(?:me|nos|yo|conmigo|estoy|estamos|tengo|vivo|matarme|matarnos)\b"),
}


def subject_of(flat: str, kind: str, start: int, end: int, language: str = "en",
               rule: str = "") -> str:
    """Who is in danger in `flat` (a normalized message) given the match at [start, end)."""
    first, third = _WORDS[language]
    matched = flat[start:end]
    before = _last_person_word(flat[:start], first, third)
    if kind == "danger" and rule not in _SUFFERING_RULES:
        return _danger_subject(flat, matched, start, before, language)
    if kind == "suicide":
        # "*my wife* says shes going to kill herself", "*im* writing letters to my kids to say
        # goodbye"; with no person word at all the writer means themselves ("thinking of
        # ending it", "better off dead honestly": English drops only a first-person subject).
        reflexive = _REFLEXIVE.search(matched)
        if reflexive:
            return SELF if reflexive.group(0) in ("myself", "me") else OTHER
        if first.search(matched):  # "my wife found *my note*"
            return SELF
        return before or _first_person_word(matched, first, third) or SELF
    if rule in _BYSTANDER_RULES:
        return OTHER  # nobody gives themselves naloxone or tries to wake themselves
    inside = _first_person_word(matched, first, third)
    if inside:
        return inside
    return before or _first_person_word(flat[end:], first, third) or UNKNOWN


def _danger_subject(flat: str, matched: str, start: int, before: str, language: str) -> str:
    me = _ME_OR_US[language]
    if me.search(matched):
        return SELF
    if _HARM_TO_OTHER.search(flat[start:start + len(matched) + 25]):
        return OTHER
    if me.search(flat):
        return SELF
    if matched.split()[0] in _PASSIVE:  # "someone *got stabbed*", "a mi hermano *lo* golpearon"
        return before or UNKNOWN
    return UNKNOWN


def _first_person_word(text: str, first: re.Pattern[str], third: re.Pattern[str]) -> str:
    """SELF or OTHER for the earliest person word in `text`, or ""."""
    a, b = first.search(text), third.search(text)
    if a and (not b or a.start() < b.start()):
        return SELF
    return OTHER if b else ""


def _last_person_word(text: str, first: re.Pattern[str], third: re.Pattern[str]) -> str:
    """SELF or OTHER for the person word nearest the end of `text`, or ""."""
    last_first = max((m.start() for m in first.finditer(text)), default=-1)
    last_third = max((m.start() for m in third.finditer(text)), default=-1)
    if last_first < 0 and last_third < 0:
        return ""
    return SELF if last_first > last_third else OTHER
