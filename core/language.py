"""Which language a chat message is written in: Spanish, English, or not enough to tell.

The assistant answers in the language the person writes in (issue 17). Messages are short and
typed fast ("hola", "ayuda pls", "detox en el bronx", "21224"), which general-purpose
detectors read badly, so this is a small, explainable score over words that are common in one
language and rare in the other, plus the product's own Spanish words (needs and insurance as
people type them: "desintoxicación", "aseguranza", "metadona"), plus Spanish-only characters
(ñ, ¿, ¡, accented vowels). A message with nothing telling (a ZIP code, "ok", "medicaid",
an emoji) gives None, and the conversation keeps the language it had.

Pure standard library: runs in the Rasa environment (Python 3.10, the NLU component
`bot.components.language_detector`) and in the app (Python 3.11, the web app).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

LANGUAGES = ("en", "es")
MAX_CHARS = 2000

_WORD = re.compile(r"[a-zñ]+")
#: US place names that begin with a Spanish article ("detox in el paso" is English): taken
#: out before counting.
_PLACE_NAMES = re.compile(
    r"\b(?:el (?:paso|cajon|centro|monte|dorado|reno|mirage|sobrante)|"
    r"la (?:jolla|mesa|puente|quinta|verne|habra|plata|vista|grange|porte|crosse|junta|"
    r"salle|canada|mirada|palma|crescenta|marque|feria)|"
    r"los (?:angeles|alamos|gatos|banos|lunas|altos|fresnos|molinos|alamitos)|"
    r"las (?:vegas|cruces|animas|lomas)|del (?:rio|mar|city|norte|valle))\b")
_SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóú]")

#: Common Spanish words that are not English words (accents dropped, as people type).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SPANISH_WORDS = _words("""
    que de la el y en mi se por con para es esta estoy este esto lo los las un una unos unas
    ya muy pero como si tengo tiene tienen quiero necesito necesita necesitamos busco buscando
    ayuda ayudame ayudeme hola buenas buenos dias tardes noches gracias favor porfa donde
    cerca aqui alla hay vivo vive mi mis su sus tu hijo hija hijos esposo esposa mama papa
    hermano hermana amigo amiga novio novia familia yo usted ustedes nosotros puedo puede
    hablar habla hablo espanol ingles persona alguien alguno alguna nada algo cuando cual
    quien cuanto cuantos ahora hoy manana noche semana tambien porque pues entonces bueno
    claro vale sin seguro aseguranza cobertura pagar gratis dinero casa vivienda cuarto
    trabajo carro transporte ride llevar reunion reuniones junta juntas grupo grupos
    desintoxicacion desintoxicarme desintoxicar tratamiento clinica centro internamiento
    medicamento medicina metadona suboxona buprenorfina naloxona sobredosis drogas droga
    alcohol tomar tomando bebiendo consumir consumo usando salir dejar recuperacion adiccion
    vicio otro otra mas menos del al le les me te nos os fue era estaba estan somos soy eres
    sabe se saber conoce donde queda numero telefono direccion horario abierto cerrado
    si no mejor salud mental terapia consejero consejera doctor medico hospital
    mucho mucha muchos muchas toma tomo estamos hace hacer voy vamos ir ayer siempre nunca
    todo todos toda bien mal creo pero otra vez todavia
""") - {"no", "me", "a", "i", "ride"}

#: English words Spanish speakers in the US use as their own ("un rehab", "un sober house",
#: "el meeting"): no evidence either way.
_LOANWORDS = frozenset({"rehab", "sober", "house", "living", "meeting", "meetings", "ride"})

#: Common English words that are not Spanish words.
ENGLISH_WORDS = _words("""
    the and i to my is of in it you he she not im with for this that have has help was are
    just what do dont cant me we they his her need needs want looking find near around where
    can could would please thanks thank hi hello hey yes yeah no nope some any get got go
    going there here place places about how who when which will should your our their them
    him us am be been being an or if at on by from out up down now today tonight tomorrow
    treatment rehab meeting meetings ride house living sober insurance coverage pay free
    someone person talk speak english spanish son daughter wife husband mom dad brother
    sister friend family drugs drinking using quit stop recovery addiction withdrawal
""") - {"me", "no", "a", "i"} - _LOANWORDS

#: Words that decide alone, when nothing else in the message tells (a one-word message).
_SPANISH_ALONE = frozenset({"hola", "ayuda", "gracias", "buenas", "si", "espanol", "porfa",
                            "necesito", "quiero", "busco", "tengo", "donde", "ayudame"})
_ENGLISH_ALONE = frozenset({"hi", "hello", "hey", "help", "thanks", "yes", "yeah", "english",
                            "need", "want", "looking", "please"})


#: Spanish words of the list that English writers use too ("alcohol", "doctor", "LA", "y'all"):
#: they don't count towards the mixed-message rule below.
_SHARED = frozenset({"alcohol", "doctor", "hospital", "mental", "favor", "gratis", "todo",
                     "persona", "mama", "papa", "casa", "la", "ya", "y", "al", "con", "sin"})
#: Misspellings are matched only on words this long, and this close (difflib's ratio).
_FUZZY_MIN_LENGTH = 5
_FUZZY_CUTOFF = 0.85


def _fold(text: str) -> str:
    """Lowercase without accents (but keeping ñ), as the word lists are written."""
    lowered = text[:MAX_CHARS].casefold().replace("ñ", "\0")
    stripped = "".join(c for c in unicodedata.normalize("NFD", lowered)
                       if unicodedata.category(c) != "Mn")
    return stripped.replace("\0", "ñ")


def language_scores(text: str) -> tuple[int, int]:
    """(Spanish, English) evidence: telling words, plus 2 for Spanish-only characters."""
    words = _WORD.findall(_PLACE_NAMES.sub(" ", _fold(text)))
    spanish = sum(1 for w in words if w in SPANISH_WORDS)
    english = sum(1 for w in words if w in ENGLISH_WORDS)
    if _SPANISH_MARKS.search(text[:MAX_CHARS].casefold()):
        spanish += 2
    return spanish, english


def read_language(text: str) -> str | None:
    """"es" or "en" when the message says which, else None (keep the conversation's)."""
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return None
    words = _WORD.findall(_PLACE_NAMES.sub(" ", _fold(text)))
    if len({w for w in words if w in SPANISH_WORDS} - _SHARED) >= 2:
        # two Spanish words of its own in a mixed message ("my brother needs detox, no tiene
        # seguro"): people in the US mix English words into Spanish far more often than the
        # other way round, so they are answered in Spanish (the widget switches back)
        return "es"
    spanish, english = language_scores(text)
    if spanish > english:
        return "es"
    if english > spanish:
        return "en"
    if spanish >= 2:
        # a tie with Spanish evidence of its own ("someone who speaks español")
        return "es"
    found = set(words)
    if found & _SPANISH_ALONE and (spanish or not found & _ENGLISH_ALONE):
        # a tie in a mixed message ("necesito un detox in houston please"): people who write
        # a Spanish verb and English nouns are answered in Spanish
        return "es"
    if found & _ENGLISH_ALONE and not found & _SPANISH_ALONE:
        return "en"
    return _read_misspelled(words) if not spanish and not english else None


def _read_misspelled(words: list[str]) -> str | None:
    """Nothing known in the message: "es" when its longer words are more often misspellings
    of Spanish words than of English ones ("nesesito detox urjente", "ayudenme porfavor").

    Only Spanish is read this way: a first message that says nothing is answered in English
    anyway, and a Spanish conversation must not switch on a typo ("thanx", "hours?").
    """
    spanish = sum(1 for w in words if _close(w, _SPANISH_LONG))
    english = sum(1 for w in words if _close(w, _ENGLISH_LONG))
    return "es" if spanish > english else None


def _close(word: str, known: list[str]) -> bool:
    return len(word) >= _FUZZY_MIN_LENGTH and bool(
        difflib.get_close_matches(word, known, n=1, cutoff=_FUZZY_CUTOFF))


#: Spanish words an English misspelling comes close to ("methadon" → metadona, "clinc" →
#: clinica): no evidence either way.
_COGNATES = frozenset({"metadona", "suboxona", "naloxona", "buprenorfina", "medicamento",
                       "medicina", "sobredosis", "clinica", "terapia", "transporte", "adiccion",
                       "recuperacion", "consejero", "consejera", "familia", "centro", "grupo",
                       "grupos", "numero", "telefono", "direccion", "horario", "drogas", "droga",
                       "persona", "doctor", "hospital", "alcohol", "mental"})
_SPANISH_LONG = sorted(w for w in SPANISH_WORDS | _SPANISH_ALONE
                       if len(w) >= _FUZZY_MIN_LENGTH and w not in _SHARED | _COGNATES)
_ENGLISH_LONG = sorted(w for w in ENGLISH_WORDS | _ENGLISH_ALONE if len(w) >= 4)
