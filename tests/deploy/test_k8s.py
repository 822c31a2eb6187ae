"""deploy/k8s: the same six apps as docker-compose.yml, with probes, migration Jobs and autoscaling."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from hues_shared.settings import ServiceSettings

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"


def of_kind(documents: list[tuple[Path, dict[str, Any]]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in documents if doc["kind"] == kind}


def only_container(pod_owner: dict[str, Any]) -> dict[str, Any]:
    (container,) = pod_owner["spec"]["template"]["spec"]["containers"]
    return container


def explicit_env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in container.get("env", [])}


@pytest.fixture(scope="module")
def deployments(k8s_documents):
    return of_kind(k8s_documents, "Deployment")


@pytest.fixture(scope="module")
def config_map(k8s_documents) -> dict[str, str]:
    return of_kind(k8s_documents, "ConfigMap")["hues-config"]["data"]


def test_every_manifest_parses_and_has_a_kind_and_name(k8s_documents):
    assert k8s_documents
    for path, doc in k8s_documents:
        assert doc.get("apiVersion") and doc.get("kind"), path
        if doc["kind"] not in ("Kustomization",):
            assert doc["metadata"]["name"], path


def test_kustomizations_list_every_manifest_beside_them():
    for kustomization in K8S.rglob("kustomization.yaml"):
        listed = set(yaml.safe_load(kustomization.read_text())["resources"])
        present = {path.name for path in kustomization.parent.glob("*.yaml")}
        assert listed <= present, f"{kustomization} lists missing files"
        # The Secret example documents a shape; real secrets are created out of band.
        assert present - listed == {"kustomization.yaml"} | ({"secret.example.yaml"} & present)


def test_the_same_six_apps_are_deployed_with_a_service_each(apps, deployments, k8s_documents):
    services = of_kind(k8s_documents, "Service")
    assert set(deployments) == {app.name for app in apps}
    assert set(services) == {app.name for app in apps}
    for app in apps:
        expected = "LoadBalancer" if app.name == "gateway" else "ClusterIP"
        assert services[app.name]["spec"]["type"] == expected, f"only the gateway is exposed: {app.name}"


def test_app_runs_hues_serve_on_its_port_with_probes(app, deployments):
    container = only_container(deployments[app.name])
    assert container["image"] == "hues-platform"
    assert container["args"] == ["serve", app.name]
    (port,) = container["ports"]
    assert port["containerPort"] == app.port
    assert explicit_env(container)[f"{app.prefix}PORT"]["value"] == str(app.port)
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port["name"]}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}


def test_app_shuts_down_gracefully(app, deployments):
    pod = deployments[app.name]["spec"]["template"]["spec"]
    shutdown = app.settings_class.model_fields["shutdown_grace_seconds"].default
    assert pod["terminationGracePeriodSeconds"] > shutdown + 5  # preStop sleep, then uvicorn drains


def test_app_scales_horizontally(app, k8s_documents):
    hpa = of_kind(k8s_documents, "HorizontalPodAutoscaler")[app.name]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": app.name}
    assert hpa["spec"]["minReplicas"] >= 2


def test_service_replicas_do_not_outnumber_topic_partitions(service, k8s_documents, config_map):
    hpa = of_kind(k8s_documents, "HorizontalPodAutoscaler")[service.name]
    assert hpa["spec"]["maxReplicas"] <= int(config_map["KAFKA_TOPIC_PARTITIONS"])


def test_every_service_has_a_migration_job(service, k8s_documents):
    job = of_kind(k8s_documents, "Job")[f"{service.name}-migrate"]
    container = only_container(job)
    command = " ".join([*container.get("command", []), *container.get("args", [])])
    assert f"hues migrate {service.name}" in command
    assert command.index("hues migrate") < command.index("hues seed")
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_config_map_keys_are_shared_settings(config_map):
    shared_fields = {name.upper() for name in ServiceSettings.model_fields}
    assert set(config_map) <= shared_fields
    assert config_map["ENVIRONMENT"] == "production"
    assert config_map["BUS"] == "kafka"


def test_environment_names_are_settings_of_the_app(app, k8s_documents):
    owners = [
        doc
        for _, doc in k8s_documents
        if doc["kind"] in ("Deployment", "Job")
        and doc["metadata"]["labels"]["app.kubernetes.io/name"] == app.name
    ]
    assert owners
    known = app.env_names
    for owner in owners:
        container = only_container(owner)
        (env_from,) = container["envFrom"]
        assert env_from == {"prefix": app.prefix, "configMapRef": {"name": "hues-config"}}
        for name in explicit_env(container):
            assert name in known or name.startswith("HUES_BOOTSTRAP_ADMIN_"), (
                f"{owner['kind']} {owner['metadata']['name']}: {name} is not a setting of {app.name}"
            )


def test_secrets_come_from_the_secret_whose_shape_is_documented(k8s_documents):
    documented = set(of_kind(k8s_documents, "Secret")["hues-secrets"]["stringData"])
    for _, doc in k8s_documents:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        for item in only_container(doc).get("env", []):
            ref = item.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] == "hues-secrets"
                assert ref["key"] in documented
            if any(
                word in item["name"] for word in ("PASSWORD", "_KEY", "TOKEN", "DATABASE_URL", "REDIS_URL")
            ):
                assert ref, f"{item['name']} must come from the Secret"


def test_the_example_secret_holds_no_real_secret(k8s_documents):
    secret = of_kind(k8s_documents, "Secret")["hues-secrets"]["stringData"]
    for key, value in secret.items():
        if "USERNAME" not in key:
            assert "CHANGE_ME" in value, key


def test_the_deployment_environment_validates_as_production_settings(
    app, deployments, config_map, k8s_documents, monkeypatch
):
    secret = of_kind(k8s_documents, "Secret")["hues-secrets"]["stringData"]
    for variable in list(os.environ):
        if variable.upper().startswith(app.prefix):
            monkeypatch.delenv(variable)
    for key, value in config_map.items():
        monkeypatch.setenv(app.prefix + key, value)
    for name, item in explicit_env(only_container(deployments[app.name])).items():
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        monkeypatch.setenv(name, secret[ref["key"]] if ref else item["value"])
    settings = app.settings_class()
    assert (settings.environment, settings.bus, settings.port) == ("production", "kafka", app.port)


def test_selectors_match_the_pods_they_select(app, deployments, k8s_documents):
    pod_labels = deployments[app.name]["spec"]["template"]["metadata"]["labels"].items()
    selectors = {
        "Deployment": deployments[app.name]["spec"]["selector"]["matchLabels"],
        "Service": of_kind(k8s_documents, "Service")[app.name]["spec"]["selector"],
        "PodDisruptionBudget": of_kind(k8s_documents, "PodDisruptionBudget")[app.name]["spec"]["selector"][
            "matchLabels"
        ],
    }
    for kind, selector in selectors.items():
        assert selector.items() <= pod_labels, f"{kind} {app.name} selects no pod"
