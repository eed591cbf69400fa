"""The Kubernetes manifests and the compose file are valid and name only real settings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from infra.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
#: The Kubernetes version the manifests are checked against.
KUBERNETES = "1.33"


def manifests() -> list[dict[str, Any]]:
    """Every object of every manifest under deploy/kubernetes."""
    found: list[dict[str, Any]] = []
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def of_kind(kind: str) -> list[dict[str, Any]]:
    """The manifest objects of one kind."""
    return [doc for doc in manifests() if doc["kind"] == kind]


def containers(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    """The containers of a Deployment's pod template."""
    found: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"]
    return found


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """Whether a label selector's ``matchLabels`` select these labels."""
    return all(labels.get(k) == v for k, v in selector.items())


@pytest.mark.parametrize("doc", manifests(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_each_manifest_object_is_valid_against_the_kubernetes_schema(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_an_invalid_object_is_refused_by_the_validator() -> None:
    broken = {**of_kind("Service")[0], "spec": {"selectr": {"app": "jejak"}}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES, strict=True)


def test_every_container_requests_and_limits_cpu_and_memory() -> None:
    for deployment in of_kind("Deployment"):
        for container in containers(deployment):
            resources = container["resources"]
            for bound in ("requests", "limits"):
                assert set(resources[bound]) >= {"cpu", "memory"}, deployment["metadata"]["name"]


def test_the_api_has_readiness_and_liveness_probes_on_its_port() -> None:
    (api,) = [d for d in of_kind("Deployment") if d["metadata"]["name"] == "jejak-api"]
    (container,) = containers(api)
    assert "readinessProbe" in container
    assert "livenessProbe" in container


def test_every_deployment_is_covered_by_a_disruption_budget_and_the_network_policy() -> None:
    budgets = [b["spec"]["selector"]["matchLabels"] for b in of_kind("PodDisruptionBudget")]
    policies = [p["spec"]["podSelector"]["matchLabels"] for p in of_kind("NetworkPolicy")]
    for deployment in of_kind("Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(matches(b, labels) for b in budgets), deployment["metadata"]["name"]
        assert any(matches(p, labels) for p in policies), deployment["metadata"]["name"]


def test_secrets_are_referenced_and_never_written_in_the_manifests() -> None:
    assert of_kind("Secret") == []
    secret_settings = {"JEJAK_EVENT_STORE_URL", "JEJAK_AUDIT_SIGNING_KEY"}
    for deployment in of_kind("Deployment"):
        for container in containers(deployment):
            given = {e["name"]: e for e in container.get("env", [])}
            assert "JEJAK_EVENT_STORE_URL" in given, deployment["metadata"]["name"]
            # A role that needs no signing key (the sender) is not handed one.
            for name in secret_settings & set(given):
                assert "secretKeyRef" in given[name]["valueFrom"], name
    for config in of_kind("ConfigMap"):
        assert not secret_settings & set(config["data"])


def test_postgres_and_temporal_are_not_hand_rolled() -> None:
    images = {c["image"] for d in of_kind("Deployment") for c in containers(d)}
    assert all(image.startswith("jejak:") for image in images)
    assert of_kind("StatefulSet") == []


SETTINGS = {f"JEJAK_{name.upper()}" for name in Settings.model_fields}
#: Variables of the test suite, not settings of the program.
NOT_SETTINGS = {"JEJAK_TEST_CRASH_AT", "JEJAK_TEST_POSTGRES_DSN"}


@pytest.mark.parametrize(
    "path", ["compose.yaml", "Dockerfile", "kubernetes/jejak.yaml", "kubernetes/README.md"]
)
def test_every_jejak_variable_of_the_deployment_files_is_a_real_setting(path: str) -> None:
    named = set(re.findall(r"\bJEJAK_[A-Z0-9_]+", (DEPLOY / path).read_text()))
    assert named, path
    assert named - NOT_SETTINGS <= SETTINGS, named - SETTINGS


def test_a_misspelt_setting_would_be_caught() -> None:
    assert "JEJAK_EVENT_STORE_URI" not in SETTINGS
    assert "JEJAK_EVENT_STORE_URL" in SETTINGS
