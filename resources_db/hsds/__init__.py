"""Open Referral HSDS 3.1 export and import (tabular data package, CSV or JSON).

- `standard`: the official HSDS 3.1 package the product ships (resources_db/seed/hsds);
- `mapping`: which directory table holds which HSDS table, and our `x_` extension columns;
- `package`: the datapackage.json we write, and opening a folder, .zip or datapackage.json;
- `export`: the export; `validation` and `importer`: the import.
"""
