"""Reading source files: text decoding, CSV and JSON rows, record ids, field helpers."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from resources_db.importers.records import FacilityRecord, FieldError, RowError, UnreadableFile

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
        except (UnreadableFile, csv.Error) as error:
            yield RowError(line, "file", str(error))
            return
        line = item.line
        yield item


def read_text(path: Path) -> str:
    """A data file's text: UTF-8, or Windows-1252 for files saved by older tools."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"not a text file (neither UTF-8 nor Windows-1252: byte {error.start + 1})"
        ) from None


def read_json_list(path: Path, key: str, *, bare_list: bool = False) -> list[Any] | RowError:
    """The list under `key` of a JSON file (or the file itself when `bare_list` allows a
    top-level list), else a RowError saying what is wrong with the file."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        return RowError(error.lineno, "file", f"not valid JSON: {error.msg}")
    items = data.get(key) if isinstance(data, dict) else (data if bare_list else None)
    if not isinstance(items, list):
        return RowError(1, key, f"no list of {key} in the file")
    return items


def read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; the header is line 1."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    line = 1
    for row in reader:
        line += 1
        yield reader.line_num, {(k or "").strip(): (v or "") for k, v in row.items()}


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
