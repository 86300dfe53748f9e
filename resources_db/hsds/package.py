"""Data packages on disk: the datapackage.json we write, and opening one to import.

An import takes a folder, a .zip or a datapackage.json. The tables are found where the
package's datapackage.json says (`resources[].path`); without one, under the official file
names (`organizations.csv`, … or the same names ending in .json).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from resources_db.hsds.mapping import (
    BY_RESOURCE,
    RECORD_SOURCE,
    RECORD_SOURCE_PATH,
    SPECIAL_EXTENSIONS,
    extension_field,
    table_schema_type,
)
from resources_db.hsds.standard import official_package, resource_by_path, resources

PACKAGE_FILE = "datapackage.json"


# --------------------------------------------------------------------------------------
# writing


def extension_fields(resource: str) -> list[dict[str, Any]]:
    """Table Schema fields of our `x_` columns of one table (all columns of ours)."""
    tmap = BY_RESOURCE.get(resource)
    out = []
    if tmap is not None:
        out = [
            extension_field(tmap.field_of(c.name), table_schema_type(c))
            for c in tmap.extension_columns()
        ]
    out += [extension_field(n, kind) for n, kind in SPECIAL_EXTENSIONS.get(resource, {}).items()]
    if resource == RECORD_SOURCE:
        for item in out:  # our own table: its columns need no prefix and are all required
            item["constraints"] = {"required": item["name"] not in {"location_id", "last_verified"}}
    return out


def file_name(resource: str, as_json: bool) -> str:
    path = resources()[resource].path if resource in resources() else RECORD_SOURCE_PATH
    return str(PurePosixPath(path).with_suffix(".json")) if as_json else path


def _record_source_resource(as_json: bool) -> dict[str, Any]:
    return {
        "name": RECORD_SOURCE,
        "path": file_name(RECORD_SOURCE, as_json),
        "description": "Recovery Navigator extension, not part of HSDS: every source record "
        "merged into a service (re-imports match on source and source_record_id).",
        "profile": "tabular-data-resource",
        "schema": {
            "fields": extension_fields(RECORD_SOURCE),
            "primaryKey": ["source", "source_record_id"],
            "foreignKeys": [
                {"fields": "service_id", "reference": {"resource": "service", "fields": "id"}},
                {"fields": "location_id", "reference": {"resource": "location", "fields": "id"}},
            ],
        },
    }


def datapackage(*, as_json: bool = False) -> dict[str, Any]:
    """Our export's datapackage.json: the official one (its two broken entries repaired),
    with our `x_` columns and the `x_record_source` table declared as extensions."""
    package = official_package()
    package["name"] = "recovery-navigator-directory"
    package["title"] = "Recovery Navigator directory (Open Referral HSDS 3.1)"
    package["description"] = (
        "The Recovery Navigator directory as Open Referral HSDS 3.1 tabular data. Table "
        "schemas are those of the official HSDS 3.1 datapackage.json (CC BY-SA 4.0, Open "
        "Referral); columns and tables named x_… are Recovery Navigator extensions."
    )
    package.pop("license", None)  # the official licence is the specification's, not the data's
    package["version"] = "3.1"
    for resource in package["resources"]:
        resource["path"] = file_name(resource["name"], as_json)
        if as_json:
            resource["format"], resource["mediatype"] = "json", "application/json"
        resource["schema"]["fields"] += extension_fields(resource["name"])
    package["resources"].append(_record_source_resource(as_json))
    return package


# --------------------------------------------------------------------------------------
# reading


@dataclass(frozen=True)
class Table:
    """One table file of an imported package."""

    name: str
    path: Path
    label: str  # the file name as the package gives it, for reports


@dataclass
class Opened:
    tables: dict[str, Table] = field(default_factory=dict)
    #: (file, why it is not imported) for files and resources the import cannot use
    unused: list[tuple[str, str]] = field(default_factory=list)


def unpack(path: Path, temp_dir: Path) -> Path:
    """The folder or datapackage.json to read: a .zip is extracted into temp_dir."""
    if path.suffix.lower() != ".zip":
        return path
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not (temp_dir / member).resolve().is_relative_to(temp_dir.resolve()):
                raise ValueError(f"unsafe path in zip: {member}")
        archive.extractall(temp_dir)
    found = sorted(temp_dir.rglob(PACKAGE_FILE), key=lambda p: len(p.parts))
    if found:
        return found[0]
    tables = {PurePosixPath(r.path).stem for r in resources().values()}
    inside = [p for p in temp_dir.rglob("*.*") if p.stem in tables and p.is_file()]
    return min((p.parent for p in inside), key=lambda p: len(p.parts), default=temp_dir)


def _known_name(name: str, path: str) -> str | None:
    if name in resources() or name == RECORD_SOURCE:
        return name
    by_path = resource_by_path()
    stem = PurePosixPath(path).stem
    matches = [r.name for p, r in by_path.items() if PurePosixPath(p).stem == stem]
    return matches[0] if matches else None


def _from_descriptor(package_file: Path) -> Opened:
    folder = package_file.parent
    try:
        descriptor = json.loads(package_file.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{package_file.name} is not valid JSON: {error}") from None
    opened = Opened()
    for item in descriptor.get("resources", []) if isinstance(descriptor, dict) else []:
        raw_path = item.get("path")
        label = raw_path if isinstance(raw_path, str) else str(raw_path)
        name = _known_name(str(item.get("name", "")), label)
        if not isinstance(raw_path, str) or "://" in raw_path:
            opened.unused.append((label, "only local file paths are imported"))
            continue
        target = (folder / raw_path).resolve()
        if not target.is_relative_to(folder.resolve()) or not target.is_file():
            opened.unused.append((label, "listed in datapackage.json but not found"))
        elif name is None:
            opened.unused.append((label, "not an HSDS 3.1 table"))
        else:
            opened.tables[name] = Table(name, target, label)
    return opened


def _from_folder(folder: Path) -> Opened:
    opened = Opened()
    names = {**{r.name: r.path for r in resources().values()}, RECORD_SOURCE: RECORD_SOURCE_PATH}
    for name, path in names.items():
        for candidate in (folder / path, (folder / path).with_suffix(".json")):
            if candidate.is_file():
                opened.tables[name] = Table(name, candidate, candidate.name)
                break
    return opened


def open_package(path: Path) -> Opened:
    """The tables of a package (a folder or datapackage.json; unpack zips first)."""
    if path.is_dir() and (path / PACKAGE_FILE).is_file():
        path = path / PACKAGE_FILE
    if path.is_file() and path.suffix.lower() != ".json":
        return Opened()  # a single table file is no package
    opened = _from_descriptor(path) if path.is_file() else _from_folder(path)
    folder = path.parent if path.is_file() else path
    used = {t.path.resolve() for t in opened.tables.values()}
    for item in sorted(folder.iterdir()) if folder.is_dir() else []:
        table_like = item.is_file() and item.suffix.lower() in {".csv", ".json"}
        if table_like and item.name != PACKAGE_FILE and item.resolve() not in used:
            opened.unused.append((item.name, "not a table of the package"))
    return opened


def read_rows(table: Table) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """The column names and (line, row) pairs of one table file (CSV or JSON list)."""
    if table.path.suffix.lower() == ".json":
        data = json.loads(table.path.read_text(encoding="utf-8-sig"))
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError(f"{table.label}: expected a JSON list of records")
        header = list(dict.fromkeys(k for row in data for k in row))
        return header, ((n, row) for n, row in enumerate(data, start=1))
    text = table.path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or [])
    return header, ((reader.line_num, row) for row in reader)
