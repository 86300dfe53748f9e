"""Check an HSDS export folder against the official HSDS 3.1 standard with frictionless.

Three checks, every one must report nothing:
1. the export's own datapackage.json (official schemas plus our `x_` extensions) validates;
2. the export's official columns validate against the *official* datapackage.json, without
   its two entries that are broken upstream (`service_capacity`, `unit`);
3. those two tables validate row by row against their official JSON Schemas (and with
   frictionless against the table schemas derived from them).

Run: `python -m resources_db.hsds.conformance FOLDER` (prints the errors and a summary).
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
from frictionless import Package, Resource, Schema, system

from resources_db.hsds.mapping import EXTENSION_PREFIX
from resources_db.hsds.package import PACKAGE_FILE
from resources_db.hsds.standard import REPAIRED, json_schema, official_package, official_package_raw


def _report_errors(report: Any) -> list[str]:
    out = []
    for task in report.tasks:
        for error in task.errors:
            out.append(f"{task.name}: {error.type}: {error.message}")
    out += [f"package: {error.type}: {error.message}" for error in report.errors]
    return out


def _validate_package(descriptor_path: Path) -> list[str]:
    with system.use_context(trusted=True):
        package = Package(str(descriptor_path))
        return _report_errors(package.validate())


def _official_columns_copy(folder: Path, target: Path) -> None:
    """Copy every official table of the export, keeping only the official columns."""
    for resource in official_package_raw()["resources"]:
        source = folder / resource["path"]
        with source.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        keep = [i for i, name in enumerate(rows[0]) if not name.startswith(EXTENSION_PREFIX)]
        with (target / resource["path"]).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([[r[i] for i in keep] for r in rows])


def _against_official(copy: Path) -> list[str]:
    package = official_package_raw()
    package = {
        **package,
        "resources": [r for r in package["resources"] if r["name"] not in REPAIRED],
    }
    (copy / PACKAGE_FILE).write_text(json.dumps(package), encoding="utf-8")
    return _validate_package(copy / PACKAGE_FILE)


def tabular_json_schema(name: str) -> dict[str, Any]:
    """The official JSON Schema of a table, in its tabular form: nested objects and arrays
    are not columns, and `tabular_required` fields are required."""
    schema = json_schema(name)
    scalar = {
        key: prop
        for key, prop in schema["properties"].items()
        if prop.get("type") in {"string", "number", "integer", "boolean"}
    }
    required = set(schema.get("required", [])) | set(schema.get("tabular_required", []))
    return {"type": "object", "properties": scalar, "required": sorted(required & set(scalar))}


def _row_value(prop: dict[str, Any], raw: str) -> Any:
    if prop.get("type") in {"number", "integer"}:
        try:
            return float(raw)
        except ValueError:
            return raw
    return raw


def _json_schema_errors(folder: Path, name: str, path: str) -> list[str]:
    schema = tabular_json_schema(name)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    out = []
    with (folder / path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            record = {
                k: _row_value(schema["properties"][k], v)
                for k, v in row.items()
                if k in schema["properties"] and v != ""
            }
            for error in validator.iter_errors(record):
                out.append(f"{path} line {reader.line_num}: {error.message}")
    return out


def _repaired_tables(folder: Path) -> list[str]:
    out = []
    repaired = {r["name"]: r for r in official_package()["resources"] if r["name"] in REPAIRED}
    for name, descriptor in repaired.items():
        out += _json_schema_errors(folder, name, descriptor["path"])
        # alone, a table cannot resolve foreign keys; check 1 checks them in the package
        table_schema = {k: v for k, v in descriptor["schema"].items() if k != "foreignKeys"}
        schema = Schema.from_descriptor(table_schema)
        with system.use_context(trusted=True):
            resource = Resource(str(folder / descriptor["path"]), schema=schema)
            out += _report_errors(resource.validate())
    return out


def check_export(folder: Path) -> list[str]:
    """Every conformance error of an exported CSV folder (empty: it conforms)."""
    errors = _validate_package(folder / PACKAGE_FILE)
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp)
        _official_columns_copy(folder, copy)
        errors += _against_official(copy) + _repaired_tables(copy)
    return errors


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    errors = check_export(folder)
    for error in errors[:200]:
        print(error)
    print(f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
