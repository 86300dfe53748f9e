"""The import formats the CLI and the seed know, and running one import."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from resources_db.importers import (
    findtreatment,
    geoda,
    local_csv,
    meeting_guide,
    national_lines,
    samhsa_directory,
)
from resources_db.importers.base import FacilityRecord, ImportSummary, RowError, import_records

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
SAMHSA_DIR = SEED_DIR / "samhsa"


@dataclass(frozen=True)
class ImportFormat:
    name: str
    source: str
    #: the file's records for `import_records`; None when `run` imports the file itself
    parse: Callable[[Path], Iterator[FacilityRecord | RowError]] | None
    #: the bundled file in this format (imported by the seed); None: nothing is bundled
    seed_file: Path | None = None
    #: the CLI may fetch a file in this format from an http(s) URL (a published feed)
    fetchable: bool = False
    #: imports the file in the caller's transaction (formats written through the admin edit
    #: path rather than `import_records`)
    run: Callable[..., ImportSummary] | None = None


FORMATS: dict[str, ImportFormat] = {
    f.name: f
    for f in (
        ImportFormat(
            "findtreatment",
            findtreatment.SOURCE,
            findtreatment.parse,
            SAMHSA_DIR / "findtreatment_locator_sample.json",
        ),
        ImportFormat(
            "geoda-mh",
            geoda.MH_SOURCE,
            geoda.parse_mh,
            SAMHSA_DIR / "mental_health_providers_geocoded.csv",
        ),
        ImportFormat(
            "geoda-sud",
            geoda.SUD_SOURCE,
            geoda.parse_sud,
            SAMHSA_DIR / "substance_use_treatment_geocoded.csv",
        ),
        ImportFormat(
            "geoda-otp",
            geoda.OTP_SOURCE,
            geoda.parse_otp,
            SAMHSA_DIR / "opioid_treatment_programs_geocoded.csv",
        ),
        ImportFormat(
            "samhsa-directory",
            samhsa_directory.SOURCE,
            samhsa_directory.parse,
            SAMHSA_DIR / "national_directory_2017_methadone.csv",
        ),
        ImportFormat(
            "national", national_lines.SOURCE, national_lines.parse, national_lines.DEFAULT_PATH
        ),
        ImportFormat(
            "meeting-guide", meeting_guide.SOURCE, meeting_guide.parse, fetchable=True
        ),
        ImportFormat(local_csv.FORMAT, local_csv.SOURCE, None, run=local_csv.import_local_csv),
    )
}
#: the seed imports in this order: richer, newer sources first give merged records their
#: primary name and address
SEED_ORDER = ("findtreatment", "geoda-mh", "geoda-sud", "geoda-otp", "samhsa-directory", "national")


def seed_file(format_name: str) -> Path:
    """The bundled file of a seeded format."""
    path = FORMATS[format_name].seed_file
    if path is None:
        raise ValueError(f"no bundled file in the {format_name} format")
    return path


def _count_rows(path: Path) -> int | None:
    if path.suffix.lower() != ".csv":
        return None
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def run_import(
    session: Session,
    format_name: str,
    path: Path,
    *,
    progress: bool = False,
    refresh_index: bool = True,
    take_source: Collection[tuple[str, str]] = (),
) -> ImportSummary:
    """Import one file in the session's transaction (the caller commits); `take_source`:
    (service id, field group) pairs where the source's value replaces an admin's edit."""
    fmt = FORMATS[format_name]
    if fmt.run is not None:
        return fmt.run(session, path, take_source=take_source)
    assert fmt.parse is not None
    return import_records(
        session,
        fmt.source,
        fmt.parse(path),
        progress=progress,
        total=_count_rows(path) if progress else None,
        refresh_index=refresh_index,
        take_source=take_source,
    )
