"""Place names in canonical form: tokens, abbreviations, `normalize_name`."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Abbreviations that start US place names. Expanded only when another word follows, so that
# "Helena MT" keeps Montana while "Mt Vernon" becomes "mount vernon".
_LEADING_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """Canonical form of a place name: ASCII lower case, single spaces, no punctuation.

    "St. Louis" and "Saint Louis" both become "saint louis"; "Coeur d'Alene" becomes
    "coeur dalene".
    """
    return " ".join(expand_abbreviations(tokenize(text, keep_commas=False)))


# Punctuation becomes a space (commas optionally a token); apostrophes simply disappear.
_PUNCTUATION = "".join(chr(c) for c in range(128) if not chr(c).isalnum() and chr(c) != ",")
_SPACE_TABLE = str.maketrans({**dict.fromkeys(_PUNCTUATION, " "), "'": None, "`": None})
_COMMA_TOKEN_TABLE = str.maketrans({",": " , "})
_COMMA_SPACE_TABLE = str.maketrans({",": " "})


def tokenize(text: str, *, keep_commas: bool = True) -> list[str]:
    """Split text into lower-case ASCII word tokens; commas become their own token."""
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
        text = folded.encode("ascii", "ignore").decode("ascii")
    text = text.lower().translate(_SPACE_TABLE)
    return text.translate(_COMMA_TOKEN_TABLE if keep_commas else _COMMA_SPACE_TABLE).split()


def expand_abbreviations(tokens: list[str]) -> list[str]:
    """Expand st/ste/ft/mt to saint/sainte/fort/mount when another word follows."""
    expanded = list(tokens)
    for index, token in enumerate(tokens[:-1]):
        replacement = _LEADING_ABBREVIATIONS.get(token)
        if replacement and tokens[index + 1] != ",":
            expanded[index] = replacement
    return expanded
