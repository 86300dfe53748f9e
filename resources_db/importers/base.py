"""What every importer shares (kept as one import path for the modules that use it).

An importer parses its file into `FacilityRecord`s (or `RowError`s for rows it cannot
read); `import_records` validates each record, then writes all good ones in the caller's
transaction. The parts live in `records` (shapes, validation, summary), `readers` (files,
rows, field helpers) and `writer` (the idempotent, merging writer).
"""

from resources_db.importers.matching import MERGE_DISTANCE_M, MERGE_NAME_SCORE
from resources_db.importers.readers import (
    RecordIds,
    field_value,
    guarded,
    json_rows,
    optional_value,
    parse_rows,
    read_csv,
    read_json_list,
    read_text,
    row_error,
)
from resources_db.importers.records import (
    ID_NAMESPACE,
    NEED_TAXONOMY,
    PAYMENT_TAXONOMY,
    POPULATION_TAXONOMY,
    FacilityRecord,
    FieldError,
    ImportSummary,
    PhoneRecord,
    RowError,
    ScheduleRecord,
    SourceCode,
    UnreadableFile,
    stable_id,
    validate,
)
from resources_db.importers.writer import BATCH, import_records

__all__ = [
    "BATCH",
    "ID_NAMESPACE",
    "MERGE_DISTANCE_M",
    "MERGE_NAME_SCORE",
    "NEED_TAXONOMY",
    "PAYMENT_TAXONOMY",
    "POPULATION_TAXONOMY",
    "FacilityRecord",
    "FieldError",
    "ImportSummary",
    "PhoneRecord",
    "RecordIds",
    "RowError",
    "ScheduleRecord",
    "SourceCode",
    "UnreadableFile",
    "field_value",
    "guarded",
    "import_records",
    "json_rows",
    "optional_value",
    "parse_rows",
    "read_csv",
    "read_json_list",
    "read_text",
    "row_error",
    "stable_id",
    "validate",
]
