"""Development secrets: generated once per checkout into var/secrets.env, never committed.

Production takes its secrets from the environment (docker-compose reads an env file); the
web app refuses to start in production with missing ones. For a developer's `make run`,
random values are generated on first use so that nothing ships with a working default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

GENERATED = ("RN_RASA_TOKEN", "RN_SECRET_KEY")


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments are skipped."""
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip()
    return values


def development_secrets(path: Path) -> dict[str, str]:
    """The secrets for a local run: the environment's, else the file's, else new ones."""
    stored = read_env_file(path)
    missing = [key for key in GENERATED if not stored.get(key)]
    if missing:
        for key in missing:
            stored[key] = secrets.token_urlsafe(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "# Generated for local development by `make run`. Not for production.\n"
            + "".join(f"{key}={value}\n" for key, value in sorted(stored.items()))
        )
        path.chmod(0o600)
    return {key: os.environ.get(key) or stored[key] for key in GENERATED}
