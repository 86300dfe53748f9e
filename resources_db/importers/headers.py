"""The header rows of the CSV formats, and what to say when a file's header is not one.

A wrong header is checked once, before any row, so an admin sees "these columns are missing"
and the likely cause (another format's file, a different delimiter, no header row) instead of
one "name1: missing" per row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass


@dataclass(frozen=True)
class Columns:
    """A CSV format's header: every column it has, and those a row cannot do without."""

    format: str
    expected: tuple[str, ...]
    required: tuple[str, ...]


_GEODA = ("name1", "name2", "street1", "street2", "city", "state", "zip", "zip4", "county")
GEODA_SUD = Columns(
    "geoda-sud",
    (*_GEODA, "latitude", "longitude"),
    ("name1", "street1", "city", "state", "zip", "latitude", "longitude"),
)
GEODA_MH = Columns(
    "geoda-mh",
    ("", *_GEODA, "phone", "intake_prompt", "intake1", "intake2", "website", "latitude",
     "longitude", "type_facility"),
    ("name1", "street1", "city", "state", "zip", "latitude", "longitude"),
)
GEODA_OTP = Columns(
    "geoda-otp",
    ("ID", "ADDRESS", "CITY", "STATE", "POSTAL", "Latitude", "Longitude"),
    ("ID", "ADDRESS", "CITY", "STATE", "POSTAL", "Latitude", "Longitude"),
)
SAMHSA_DIRECTORY = Columns(
    "samhsa-directory",
    ("Name1", "Name2", "Name3", "Address1", "Address2", "Address3", "City", "State",
     "ZIP_Code", "Contact", "Note", "Keys", "ID", "Longitude", "Latitude", "Match Score"),
    ("Name1", "Address1", "City", "State", "ZIP_Code", "ID", "Longitude", "Latitude"),
)
CSV_FORMATS = (GEODA_SUD, GEODA_MH, GEODA_OTP, SAMHSA_DIRECTORY)
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
SNIFF_BYTES = 64 * 1024


class HeaderMismatch(ValueError):
    """The header row is not the format's (raised once, before any row is read)."""


def missing(header: list[str], columns: Columns) -> list[str]:
    present = set(header)
    return [c for c in columns.required if c not in present]


def unexpected(header: list[str], columns: Columns) -> list[str]:
    known = set(columns.expected)
    return [c for c in header if c not in known]


def sniff_delimiter(text: str) -> str:
    """The delimiter the text most likely uses (the standard library's sniffer), else ","."""
    sample = text[:SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def other_format(header: list[str], columns: Columns) -> str | None:
    """The name of another CSV format whose header this is."""
    for candidate in CSV_FORMATS:
        if candidate.format != columns.format and not missing(header, candidate):
            return candidate.format
    return None


def _listed(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names[:12]) + (" …" if len(names) > 12 else "")


def mismatch_message(header: list[str], columns: Columns, delimiter: str) -> str:
    """What is wrong with the header and the likely cause, in plain words."""
    gone = missing(header, columns)
    extra = [c for c in unexpected(header, columns) if c]
    parts = [f"The header row does not match the {columns.format} format: "
             f"missing columns {_listed(gone)}."]
    if extra:
        parts.append(f"These columns are unexpected: {_listed(extra)}.")
    another = other_format(header, columns)
    if delimiter != ",":
        name = DELIMITER_NAMES.get(delimiter, repr(delimiter))
        parts.append(f"Likely cause: the file separates columns with a {name} "
                     f"({delimiter!r}), not commas, and its header is not this format's either.")
    elif another:
        parts.append(f"Likely cause: this is a {another} file; choose that format.")
    elif len(header) == 1:
        parts.append("Likely cause: wrong file or wrong delimiter (the header has one column).")
    else:
        parts.append("Likely cause: wrong file, or the header row is missing "
                     "(the first line must name the columns).")
    return " ".join(parts)
