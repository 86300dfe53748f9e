"""How the Rasa-environment check scripts (tests/bot/check_*.py) end: what `make test` reads.

Needs nothing but the standard library (it runs under Python 3.10 with Rasa's environment).
"""

from __future__ import annotations

import sys


def exit_status(problems: list[str], failed: str, passed: str) -> int:
    """1, with `failed` on stderr, if the check found any problem; else 0, with `passed`."""
    if problems:
        print(failed, file=sys.stderr)
        return 1
    print(passed)
    return 0
