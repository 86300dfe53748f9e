"""`python -m resources_db …` runs the directory's command line (see cli.py)."""

import sys

from resources_db.cli import main

sys.exit(main())
