"""deploy/kubernetes is checked without a cluster: every resource against the Kubernetes API
schemas (strict: an unknown field is an error), and for what matters to an operator — only
the web app reachable from outside, the Rasa API from the web app alone, secrets referenced
and never written down, probes and memory limits on every container, and at least two
replicas with a disruption budget and an autoscaler for web and Rasa."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.30.0"
SECRET_NAME = "recovery-navigator"
SECRET_KEYS = {"POSTGRES_PASSWORD", "REDIS_PASSWORD", "RN_RASA_TOKEN", "RN_SECRET_KEY",
               "RN_DATABASE_URL", "RN_TRACKER_DATABASE_URL", "RN_REDIS_URL"}


def _kustomization() -> dict[str, Any]:
    data = yaml.safe_load((FOLDER / "kustomization.yaml").read_text())
    assert isinstance(data, dict)
    return data


def _resources() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for name in _kustomization()["resources"]:
        docs.extend(d for d in yaml.safe_load_all((FOLDER / name).read_text()) if d)
    return docs


def _by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in _resources() if d["kind"] == kind}


def _containers(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    spec = deployment["spec"]["template"]["spec"]
    return [*spec.get("initContainers", []), *spec["containers"]]


def test_every_file_is_listed_in_the_kustomization() -> None:
    listed = set(_kustomization()["resources"])
    on_disk = {p.name for p in FOLDER.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk


@pytest.mark.parametrize("version", [KUBERNETES_VERSION, kubernetes_validate.latest_version()])
def test_every_resource_validates_strictly(version: str) -> None:
    for doc in _resources():
        kubernetes_validate.validate(doc, version, strict=True)


def test_a_misspelt_field_is_rejected() -> None:
    """The check can fail: an unknown field in a container is an error in strict mode."""
    deployment = dict(_by_kind("Deployment")["web"])
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_no_secret_is_written_in_the_manifests() -> None:
    assert not _by_kind("Secret"), "Secrets are created by the operator, never committed"
    for config in _by_kind("ConfigMap").values():
        assert not SECRET_KEYS & set(config["data"])
    for deployment in _by_kind("Deployment").values():
        for container in _containers(deployment):
            for variable in container.get("env", []):
                if variable["name"] in SECRET_KEYS or "PASSWORD" in variable["name"]:
                    assert "value" not in variable, variable["name"]
                    assert variable["valueFrom"]["secretKeyRef"]["name"] == SECRET_NAME


def test_every_container_has_probes_and_a_memory_limit() -> None:
    for name, deployment in _by_kind("Deployment").items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert "readinessProbe" in container and "livenessProbe" in container, name
        for container in _containers(deployment):
            assert container["resources"]["limits"]["memory"], name
            assert container["resources"]["requests"]["memory"], name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name


@pytest.mark.parametrize("name", ["web", "rasa"])
def test_web_and_rasa_run_replicated_with_budget_and_autoscaler(name: str) -> None:
    assert _by_kind("Deployment")[name]["spec"]["replicas"] >= 2
    assert _by_kind("PodDisruptionBudget")[name]["spec"]["minAvailable"] >= 1
    assert _by_kind("HorizontalPodAutoscaler")[name]["spec"]["minReplicas"] >= 2


def _ingress_sources(policy: dict[str, Any]) -> list[list[dict[str, Any]] | None]:
    """For each ingress rule, who may connect (None: anyone)."""
    return [rule.get("from") for rule in policy["spec"].get("ingress", [])]


def test_only_the_web_app_takes_traffic_from_outside() -> None:
    policies = _by_kind("NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    open_to_all = {
        name for name, policy in policies.items() if None in _ingress_sources(policy)
    }
    assert open_to_all == {"web"}
    web_open = [r for r in policies["web"]["spec"]["ingress"] if "from" not in r]
    assert [p["port"] for r in web_open for p in r["ports"]] == [8000], "metrics stay inside"


def _sources_by_port(policy: dict[str, Any]) -> dict[int, list[dict[str, Any]] | None]:
    return {port["port"]: rule.get("from") for rule in policy["spec"].get("ingress", [])
            for port in rule["ports"]}


MONITORING = [{"namespaceSelector": {"matchLabels": {"recovery-navigator/metrics": "allowed"}}}]


def test_the_rasa_api_is_reachable_from_the_web_app_only() -> None:
    policies = _by_kind("NetworkPolicy")
    assert _ingress_sources(policies["rasa"]) == [
        [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "web"}}}]
    ]
    assert _sources_by_port(policies["actions"]) == {
        5055: [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "rasa"}}}],
        9100: MONITORING,
    }


@pytest.mark.parametrize(("name", "variable"), [("web", "RN_METRICS_PORT"),
                                                ("actions", "RN_ACTIONS_METRICS_PORT")])
def test_metrics_are_scraped_on_an_internal_port(name: str, variable: str) -> None:
    """The pod asks Prometheus to scrape the port its process serves /metrics on, and only
    the monitoring namespace may reach that port."""
    deployment = _by_kind("Deployment")[name]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    env = {v["name"]: v.get("value") for v in container["env"]}
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    assert int(annotations["prometheus.io/port"]) == ports["metrics"] == int(env[variable])
    policy = _by_kind("NetworkPolicy")[name]
    assert _sources_by_port(policy)[ports["metrics"]] == MONITORING


def test_database_and_cache_are_external_services() -> None:
    services = _by_kind("Service")
    for name in ("postgres", "redis"):
        assert services[name]["spec"]["type"] == "ExternalName"
    assert not _by_kind("StatefulSet")


def test_the_web_app_reaches_rasa_through_the_platform_service() -> None:
    config = _by_kind("ConfigMap")["recovery-navigator"]["data"]
    assert config["RN_RASA_URL"] == "http://rasa:5005"
    assert "rasa" in _by_kind("Service")
