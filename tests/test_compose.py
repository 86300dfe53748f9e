"""docker-compose.yml is checked without a Docker engine: against the Compose schema, and
for what matters to an operator — every service healthy, only the web app reachable from
outside, and no secret with a working default."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "fixtures" / "compose" / "compose_spec.json"
SECRETS = {"POSTGRES_PASSWORD", "REDIS_PASSWORD", "RN_RASA_TOKEN", "RN_SECRET_KEY"}
RASA_REPLICAS = {"rasa-1", "rasa-2"}
INTERNAL_ONLY = {*RASA_REPLICAS, "actions", "postgres", "redis"}
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariable(Exception):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} forms ($$ is a literal $)."""

    def replace(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"] or ""
        value = env.get(name)
        if op in (":?", "?") and not value:
            raise MissingVariable(f"{name}: {arg}")
        if op in (":-", "-") and not value:
            return arg
        return value or ""

    return VARIABLE.sub(replace, text.replace("$$", "\0")).replace("\0", "$")


@pytest.fixture(scope="module")
def compose_text() -> str:
    return (ROOT / "docker-compose.yml").read_text()


@pytest.fixture(scope="module")
def compose(compose_text: str) -> dict[str, Any]:
    env = {name: f"test-{name.lower()}" for name in SECRETS}
    loaded: dict[str, Any] = yaml.safe_load(interpolate(compose_text, env))
    return loaded


def test_matches_the_compose_schema(compose: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft201909Validator(schema).validate(compose)


def test_has_the_five_services_each_with_a_health_check(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"web", *RASA_REPLICAS, "actions", "postgres", "redis"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_only_the_web_app_is_published(compose: dict[str, Any]) -> None:
    published = {name for name, s in compose["services"].items() if s.get("ports")}
    assert published == {"web"}
    assert compose["networks"]["internal"]["internal"] is True
    for name in INTERNAL_ONLY:
        assert compose["services"][name]["networks"] == ["internal"], name


def test_refuses_to_start_without_each_secret(compose_text: str) -> None:
    for missing in SECRETS:
        env = {name: "x" for name in SECRETS if name != missing}
        with pytest.raises(MissingVariable, match=missing):
            interpolate(compose_text, env)


def test_no_secret_has_a_value_in_the_file(compose_text: str) -> None:
    for name in SECRETS:
        for match in VARIABLE.finditer(compose_text):
            if match["name"] == name:
                assert match["op"] in (":?", "?"), f"{name} must be required, not defaulted"
        assert not re.search(rf"^\s*{name}:\s*[^$\s]", compose_text, re.M), name


def test_env_example_lists_every_secret_empty() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    values = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    assert set(values) >= SECRETS
    assert all(values[name] == "" for name in SECRETS)


def test_rasa_scales_out_on_shared_stores(compose: dict[str, Any]) -> None:
    for name in RASA_REPLICAS:
        assert "bot/endpoints.production.yml" in compose["services"][name]["command"], name
    endpoints = yaml.safe_load((ROOT / "bot" / "endpoints.production.yml").read_text())
    assert endpoints["tracker_store"]["type"] == "bot.tracker_store.RedactingSQLTrackerStore"
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["type"] == "redis"


def test_the_web_app_spreads_conversations_over_every_replica(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    urls = web["environment"]["RN_RASA_URL"].split(",")
    assert sorted(urls) == sorted(f"http://{name}:5005" for name in RASA_REPLICAS)
    rasa_services = {name for name in compose["services"] if name.startswith("rasa")}
    assert rasa_services == RASA_REPLICAS, "a replica the web app does not know is never used"


def test_every_dockerfile_copies_files_that_exist(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        build = service.get("build")
        if not build:
            continue
        dockerfile = ROOT / build["dockerfile"]
        assert dockerfile.exists(), f"{name}: {dockerfile} is missing"
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY ") and "--from=" not in line:
                for source in line.split()[1:-1]:
                    assert (ROOT / source).exists(), f"{dockerfile.name}: {source} is missing"
