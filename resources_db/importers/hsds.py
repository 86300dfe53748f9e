"""Open Referral HSDS 3.1 export and import: see the `resources_db.hsds` package.

Kept as the import path the CLI and other code use.
"""

from resources_db.hsds.export import export_hsds, export_tables
from resources_db.hsds.importer import HsdsImportSummary, import_hsds

__all__ = ["HsdsImportSummary", "export_hsds", "export_tables", "import_hsds"]
