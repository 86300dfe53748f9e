"""Spanish normalization: one spelling for the ways people type Spanish on a phone.

Accents and tildes are dropped ("tomó" -> "tomo", "daño" -> "dano"), so "se tomó" and
"se tomo" are the same to the rules; "¿¡" go; common misspellings and texting shorthand are
folded ("kiero" -> "quiero", "boy a" -> "voy a", "pastiyas" -> "pastillas", "x" -> "por").
"""

from __future__ import annotations

import re
import unicodedata

from core.crisis.model import MAX_CHARS
from core.crisis.textnorm import _clean_char

_NOT_TEXT = re.compile(r"[^\w\s.!?;,]")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_SOBREDOSIS = re.compile(r"\bsobre\s?-?\s?do(?:s|c|z)+is?\b")
_SUICID = re.compile(r"\bsu?i(?:s|c|z)id")

#: Texting shorthand and common misspellings, one word at a time.
_WORD_MAP_ES: dict[str, str] = {
    # quiero, voy, estoy
    "kiero": "quiero", "qiero": "quiero", "quero": "quiero", "kero": "quiero",
    "qero": "quiero", "quieor": "quiero", "boy": "voy", "toy": "estoy", "stoy": "estoy",
    "ta": "esta", "sta": "esta", "tas": "estas", "tamos": "estamos",
    # shorthand
    "q": "que", "k": "que", "ke": "que", "xq": "porque", "pq": "porque", "porq": "porque",
    "x": "por", "d": "de", "pa": "para", "tb": "tambien", "tmb": "tambien", "aki": "aqui",
    "nd": "nada", "xfa": "por favor", "porfa": "por favor", "plis": "por favor",
    "asta": "hasta", "ase": "hace", "aser": "hacer",
    # crisis words as people misspell them
    "bibir": "vivir", "vivri": "vivir", "murir": "morir", "morime": "morirme",
    "matame": "matarme", "suisida": "suicida",
    "inconciente": "inconsciente", "incosciente": "inconsciente", "inconsiente": "inconsciente",
    "rrespira": "respira", "respria": "respira", "respita": "respira",
    "dispierta": "despierta", "despeirta": "despierta", "recciona": "reacciona",
    "reaciona": "reacciona", "pastiyas": "pastillas", "pastias": "pastillas",
    "pildoras": "pastillas", "cuchiyo": "cuchillo",
    "aorcar": "ahorcar", "aorcando": "ahorcando", "golpiando": "golpeando",
    "golpio": "golpeo", "peliando": "peleando", "pegandome": "me esta pegando",
    "golpeandome": "me esta golpeando", "nesesito": "necesito", "nececito": "necesito",
    "nesecito": "necesito", "emergensia": "emergencia", "emerjencia": "emergencia",
    "ambulansia": "ambulancia", "anbulancia": "ambulancia", "balasos": "balazos",
    "ermano": "hermano", "ermana": "hermana", "ijo": "hijo", "ija": "hija",
    "nalaxona": "naloxona", "naloxone": "naloxona", "narcam": "narcan", "narkan": "narcan",
    "fentanil": "fentanilo", "fenta": "fentanilo", "fentanyl": "fentanilo",
    "sangrado": "sangrando", "sangrandose": "sangrando", "cuete": "pistola",
    "fusca": "pistola", "pistol": "pistola", "gun": "pistola",
}


def normalize_es(text: str, stretched_to: int = 1) -> str:
    """Lower-case, strip accents and de-slang Spanish `text`, keeping clause punctuation.

    Examples: "¿Se tomó TODAS las pastiyas?" -> "se tomo todas las pastillas?",
    "ya no kiero bibir" -> "ya no quiero vivir", "me boy a matar" -> "me voy a matar".
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    s = "".join(_clean_char(c) for c in s)
    s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    s = _STRETCHED.sub(r"\1" * stretched_to, s)
    s = s.replace("'", "").replace("\u2019", "")
    s = _NOT_TEXT.sub(" ", s)
    s = _SOBREDOSIS.sub("sobredosis", s)
    s = _SUICID.sub("suicid", s)
    s = _WORD.sub(lambda m: _WORD_MAP_ES.get(m.group(0), m.group(0)), s)
    s = _NEWLINES.sub(" . ", s)
    return _SPACES.sub(" ", s).strip()
