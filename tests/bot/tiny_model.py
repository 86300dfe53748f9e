"""Train a tiny Rasa NLU model for the component checks (tests/bot/check_*.py).

Needs the Rasa environment (Python 3.10); not a pytest module. A check names its pipeline
and a few examples per intent; the config, NLU data and domain files Rasa reads are written
from those, so the domain lists exactly the intents the examples teach.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def config_yaml(assistant_id: str, pipeline: list[dict[str, Any]]) -> str:
    """An English NLU-only config.yml with `pipeline`."""
    return yaml.safe_dump({"recipe": "default.v1", "language": "en",
                           "assistant_id": assistant_id, "pipeline": pipeline,
                           "policies": []}, sort_keys=False)


def nlu_yaml(examples: dict[str, list[str]]) -> str:
    """nlu.yml teaching each intent its examples."""
    return yaml.safe_dump({"version": "3.1", "nlu": [
        {"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)}
        for intent, texts in examples.items()]}, sort_keys=False)


def domain_yaml(intents: list[str], entities: tuple[str, ...] = ()) -> str:
    """domain.yml with `intents` and `entities`."""
    domain: dict[str, Any] = {"version": "3.1", "intents": intents}
    if entities:
        domain["entities"] = list(entities)
    return yaml.safe_dump(domain, sort_keys=False)


def train_tiny_nlu(workdir: Path, assistant_id: str, pipeline: list[dict[str, Any]],
                   examples: dict[str, list[str]], *, more_intents: tuple[str, ...] = (),
                   entities: tuple[str, ...] = ()) -> str:
    """Writes the three files into `workdir`, trains, returns the model archive's path.

    `more_intents` are intents a component sets without examples (the CrisisDetector's)."""
    from rasa.model_training import train_nlu

    files = {"config.yml": config_yaml(assistant_id, pipeline),
             "nlu.yml": nlu_yaml(examples),
             "domain.yml": domain_yaml([*examples, *more_intents], entities)}
    for name, text in files.items():
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
