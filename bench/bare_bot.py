"""A bare `rasa init` bot, built with the project's own Rasa, as the yardstick for turn cost.

`ensure_bare_bot()` runs `rasa init --no-prompt` (which writes the moodbot project and trains
it with Rasa's default pipeline and policies) into `var/turn_cost/bare/` once; later runs
reuse the trained model. `BareRasa` starts it with plain `rasa run` on the REST channel, in
its own process group like every process of `devstack.processes.Stack`.

Nothing here is committed: var/ is ignored (build/ may be shared between checkouts).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from devstack.processes import ROOT, ServiceSpec, Stack

BARE_DIR = ROOT / "var" / "turn_cost" / "bare"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"

#: The moodbot's own happy and sad paths (data/stories.yml of `rasa init`), six turns like
#: the product's script.
BARE_SCRIPT = (
    "hi",
    "I am feeling sad",
    "yes",
    "great",
    "are you a bot?",
    "bye",
)


def bare_model(directory: Path = BARE_DIR) -> Path | None:
    """The newest trained model of the bare bot, if any."""
    models = sorted((directory / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def ensure_bare_bot(directory: Path = BARE_DIR) -> Path:
    """The bare bot's model; `rasa init --no-prompt` (init + train) when there is none yet."""
    model = bare_model(directory)
    if model is not None:
        return model
    directory.mkdir(parents=True, exist_ok=True)
    log = directory.parent / "rasa-init.log"
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    with log.open("wb") as out:
        subprocess.run(  # noqa: S603 (fixed argv)
            [str(RASA), "init", "--no-prompt", "--init-dir", str(directory)],
            cwd=directory, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, check=True,
        )
    model = bare_model(directory)
    if model is None:
        raise RuntimeError(f"rasa init trained no model (see {log})")
    return model


class BareRasa(Stack):
    """The bare bot's `rasa run` (REST channel, in-memory tracker store, no action server)."""

    def __init__(self, model: Path, *, rasa_port: int, env: dict[str, str] | None = None,
                 directory: Path = BARE_DIR) -> None:
        super().__init__(
            directory, rasa_port=rasa_port, model=model, components=("rasa",),
            log_dir=directory.parent / "log", env=env,
        )

    def specs(self) -> list[ServiceSpec]:
        argv = [
            str(RASA), "run", "--enable-api", "-i", self.host, "-p", str(self.rasa_port),
            "--model", str(self.model), "--credentials", "credentials.yml",
        ]
        return [ServiceSpec(name="rasa", argv=argv, health_url=f"{self.rasa_url}/",
                            env={"SQLALCHEMY_SILENCE_UBER_WARNING": "1"})]
