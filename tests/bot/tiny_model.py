"""Train a tiny Rasa NLU model for the component checks (tests/bot/check_*.py).

Needs the Rasa environment (Python 3.10); not a pytest module.
"""

from __future__ import annotations

from pathlib import Path


def train_tiny_nlu(workdir: Path, config: str, nlu: str, domain: str) -> str:
    """Writes the three files into `workdir`, trains, returns the model archive's path."""
    from rasa.model_training import train_nlu

    for name, text in (("config.yml", config), ("nlu.yml", nlu), ("domain.yml", domain)):
        (workdir / name).write_text(text)
    model = train_nlu(
        config=str(workdir / "config.yml"),
        nlu_data=str(workdir / "nlu.yml"),
        output=str(workdir / "models"),
        domain=str(workdir / "domain.yml"),
    )
    if not model:
        raise SystemExit("training the check model failed")
    return model
