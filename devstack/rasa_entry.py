"""Start the Rasa server with its API token taken from the environment, not the command line.

`rasa run --auth-token TOKEN` puts the token in the process's command line, which every user of
the machine can read (`ps`, /proc/<pid>/cmdline) (issue 22, finding 12). Rasa 3.6 reads the
token only from that option, so this entry point (run with the Rasa environment's Python, stdlib
only) adds `--auth-token $RN_RASA_TOKEN` to its own `sys.argv` after the process has started,
then runs `bot.server` as if it had been called directly:

    RN_RASA_TOKEN=… python -m devstack.rasa_entry run --enable-api …   # same arguments as rasa
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping


def with_token(argv: list[str], env: Mapping[str, str]) -> list[str]:
    """`argv` plus `--auth-token` and `--jwt-secret` from RN_RASA_TOKEN (unless already given).

    The web app sends the token as an HS256 JWT in the `Authorization` header (web/rasa_client.py);
    `--auth-token` keeps the `?token=` form working for operators' own calls.
    """
    token = env.get("RN_RASA_TOKEN", "").strip()
    argv = list(argv)
    if not token:
        return argv
    # "--option=value": a token may start with "-", which argparse would take for an option
    if not _given(argv, "--auth-token"):
        argv.append(f"--auth-token={token}")
    if not _given(argv, "--jwt-secret"):
        argv += [f"--jwt-secret={token}", "--jwt-method", "HS256"]
    return argv


def _given(argv: list[str], option: str) -> bool:
    return any(arg == option or arg.startswith(option + "=") for arg in argv)


def main() -> None:
    # imported by name: bot.server needs the Rasa environment, which mypy does not see
    server = importlib.import_module("bot.server")
    sys.argv = with_token(["bot.server", *sys.argv[1:]], os.environ)
    server.main()


if __name__ == "__main__":
    main()
