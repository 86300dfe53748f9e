"""Reading source files: text decoding, CSV and JSON rows, record ids, field helpers."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from charset_normalizer import from_bytes

from resources_db.importers.headers import (
    DELIMITER_NAMES,
    SNIFF_BYTES,
    Columns,
    HeaderMismatch,
    mismatch_message,
    missing,
    sniff_delimiter,
    unexpected,
)
from resources_db.importers.records import (
    FacilityRecord,
    FieldError,
    RowError,
    RowWarning,
    UnreadableFile,
)

T = TypeVar("T")


def guarded(
    items: Iterator[FacilityRecord | RowError],
) -> Iterator[FacilityRecord | RowError]:
    """The parser's items; a file that breaks the parser part-way ends as one file error
    (the rows before it are still reported, and nothing is written unless the caller commits)."""
    line = 1
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except HeaderMismatch as error:
            yield RowError(1, "header", str(error))
            return
        except (UnreadableFile, csv.Error) as error:
            yield RowError(line, "file", str(error))
            return
        line = max(item.line, 1)
        yield item


#: code pages charset-normalizer cannot tell from Windows-1252 on mostly-ASCII US data
_WESTERN_SINGLE_BYTE = ("cp125", "cp850", "cp775", "latin", "iso8859", "mac_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text(path: Path) -> str:
    """A data file's text: UTF-8, else the encoding charset-normalizer detects (UTF-16 from
    Excel's "Unicode text"; Windows-1252 for the single-byte files of older US tools)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _detected(raw)
    if not text.strip():
        raise UnreadableFile("The file is empty: no header row and no rows.")
    if _CONTROL.search(text[:SNIFF_BYTES]):
        raise UnreadableFile("not a text file (it holds binary data): check the file you chose")
    return text


def _detected(raw: bytes) -> str:
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise UnreadableFile("not a text file (no text encoding fits it): check the file")
    if best.encoding.startswith(_WESTERN_SINGLE_BYTE):
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def read_json_list(path: Path, key: str, *, bare_list: bool = False) -> list[Any] | RowError:
    """The list under `key` of a JSON file (or the file itself when `bare_list` allows a
    top-level list), else a RowError saying what is wrong with the file."""
    try:
        text = read_text(path)
    except UnreadableFile as error:
        return RowError(1, "file", str(error))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        reason = f"not valid JSON: {error.msg}{_json_hint(text)}"
        return RowError(max(error.lineno, 1), "file", reason)
    items = data.get(key) if isinstance(data, dict) else (data if bare_list else None)
    if not isinstance(items, list):
        return RowError(1, key, f"no list of {key} in the file")
    return items


def json_rows(path: Path, key: str, *, bare_list: bool = False
              ) -> Iterator[tuple[int, Any] | RowError]:
    """(number from 1, item) for each item of `read_json_list`, or its one RowError."""
    items = read_json_list(path, key, bare_list=bare_list)
    if isinstance(items, RowError):
        yield items
        return
    yield from enumerate(items, start=1)


def _json_hint(text: str) -> str:
    first = text.lstrip()[:1]
    if first not in ("{", "[") and "," in text.split("\n", 1)[0]:
        return " (this looks like a CSV file, not JSON: check the format you chose)"
    return ""


def read_csv(path: Path, columns: Columns) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    """(line number, row) for each data row (the header is line 1), a RowError for a row
    that is cut short or too long, and a RowWarning when the file was read with another
    delimiter than commas. The header is checked first: `HeaderMismatch` if it is not the
    format's (with the likely cause), `UnreadableFile` if the file is empty."""
    text = read_text(path)
    delimiter = ","
    header = _header(text, delimiter)
    if missing(header, columns):
        sniffed = sniff_delimiter(text)
        if sniffed != "," and not missing(_header(text, sniffed), columns):
            delimiter, header = sniffed, _header(text, sniffed)
            name = DELIMITER_NAMES.get(sniffed, repr(sniffed))
            yield RowWarning(1, "header", f"columns are separated by a {name} ({sniffed!r}); "
                                          "read that way")
        else:
            raise HeaderMismatch(mismatch_message(_header(text, sniffed), columns, sniffed))
    extra = [c for c in unexpected(header, columns) if c]
    if extra:
        yield RowWarning(1, "header", f"unexpected columns ignored: {', '.join(extra[:12])}")
    yield from _rows(text, delimiter, header)


def _header(text: str, delimiter: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    return [name.strip() for name in first]


def _rows(
    text: str, delimiter: str, header: list[str]
) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader, None)
    width = len(header)
    seen = False
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        seen = True
        line = reader.line_num
        if len(values) < width:
            last = header[len(values) - 1] if values else ""
            yield RowError(line, "row", f"truncated: {len(values)} of {width} columns; the row "
                                        f"stops after {last!r} (the rest of it is missing)")
        elif len(values) > width:
            yield RowError(line, "row", f"{len(values)} columns, the header has {width} "
                                        "(a value with an unquoted delimiter?)")
        else:
            yield line, dict(zip(header, values, strict=True))
    if not seen:
        raise UnreadableFile("The file has a header row but no rows.")


class RecordIds:
    """Record ids for sources without their own: a hash of the identifying fields.

    A row repeated in the same file gets "-2", "-3", … so it stays traceable (and merges
    into the first one's location) instead of colliding.
    """

    def __init__(self) -> None:
        self.seen: dict[str, int] = defaultdict(int)

    def make(self, *parts: object) -> str:
        text = "|".join((str(p) if p is not None else "").strip().lower() for p in parts)
        base = hashlib.sha1(text.encode()).hexdigest()[:16]
        return self.unique(base)

    def unique(self, base: str) -> str:
        self.seen[base] += 1
        count = self.seen[base]
        return base if count == 1 else f"{base}-{count}"


def parse_rows(
    rows: Iterable[tuple[int, Any] | RowError], parse_row: Callable[[int, Any], FacilityRecord],
) -> Iterator[FacilityRecord | RowError]:
    """Each row parsed into a record; a row that could not be read passes on as it is, and
    one that `parse_row` refuses (ValueError, FieldError) becomes a RowError on its line."""
    for item in rows:
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        try:
            yield parse_row(line, row)
        except ValueError as error:
            yield row_error(line, error)


def row_error(line: int, error: Exception) -> RowError:
    if isinstance(error, FieldError):
        return RowError(line, error.field, error.reason)
    return RowError(line, "row", str(error))


def optional_value(
    warnings: list[tuple[str, str]], field_name: str, convert: Callable[[], T | None]
) -> T | None:
    """Like field_value, but an unusable optional value is left out with a warning."""
    try:
        return convert()
    except ValueError as error:
        warnings.append((field_name, str(error)))
        return None


def field_value(field_name: str, convert: Callable[[], T]) -> T:
    """Run a conversion, turning ValueError into FieldError for `field_name`."""
    try:
        return convert()
    except FieldError:
        raise
    except ValueError as error:
        raise FieldError(field_name, str(error)) from None
