"""deploy/k8s: the same six apps as docker-compose.yml, checked on the rendered kustomize output.

Issue 13: namespaces, versioned migration Jobs, a schema check before serving, least privilege, Pod
Security "restricted", NetworkPolicies, TLS ingress, sizing rules, and the Kubernetes schemas.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from hues_shared.settings import ServiceSettings

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
KUBERNETES_VERSION = "1.31.0"


def of_kind(documents: list[tuple[Path, dict[str, Any]]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in documents if doc["kind"] == kind}


def only_container(pod_owner: dict[str, Any]) -> dict[str, Any]:
    (container,) = pod_owner["spec"]["template"]["spec"]["containers"]
    return container


def explicit_env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in container.get("env", [])}


def pod_owners(documents: list[tuple[Path, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [doc for _, doc in documents if doc["kind"] in ("Deployment", "Job")]


def migration_jobs(documents: list[tuple[Path, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Jobs by service name (their real names carry the release suffix)."""
    return {
        doc["metadata"]["labels"]["app.kubernetes.io/name"]: doc
        for _, doc in documents
        if doc["kind"] == "Job"
    }


@pytest.fixture(scope="module")
def deployments(k8s_documents):
    return of_kind(k8s_documents, "Deployment")


@pytest.fixture(scope="module")
def config_map(k8s_rendered) -> dict[str, str]:
    (config,) = [doc for doc in k8s_rendered["apps"] if doc["kind"] == "ConfigMap"]
    data: dict[str, str] = config["data"]
    return data


@pytest.fixture(scope="module")
def config_map_name(k8s_rendered) -> str:
    (config,) = [doc for doc in k8s_rendered["apps"] if doc["kind"] == "ConfigMap"]
    name: str = config["metadata"]["name"]
    return name


def test_every_manifest_parses_and_has_a_kind_and_name(k8s_documents):
    assert k8s_documents
    for path, doc in k8s_documents:
        assert doc.get("apiVersion") and doc.get("kind"), path
        if doc["kind"] not in ("Kustomization",):
            assert doc["metadata"]["name"], path


def test_kustomizations_list_every_manifest_beside_them():
    for kustomization in K8S.rglob("kustomization.yaml"):
        spec = yaml.safe_load(kustomization.read_text())
        if spec["kind"] == "Component":
            continue
        listed = set(spec["resources"])
        present = {path.name for path in kustomization.parent.glob("*.yaml")}
        assert listed <= present, f"{kustomization} lists missing files"
        # The Secret example documents a shape; real secrets are created out of band.
        assert present - listed == {"kustomization.yaml"} | ({"secret.example.yaml"} & present)


def test_rendered_manifests_are_valid_kubernetes_objects(k8s_rendered):
    """Strict schema validation (kubernetes-validate): an unknown or misspelt field fails here."""
    for documents in k8s_rendered.values():
        for doc in documents:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_schema_validator_refuses_a_misspelt_field():
    broken = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"prots": []}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_everything_lands_in_the_hues_namespace(k8s_rendered):
    """The README's steps failed when a ConfigMap landed outside `hues` and the Jobs waited forever."""
    for documents in k8s_rendered.values():
        for doc in documents:
            if doc["kind"] == "Namespace":
                assert doc["metadata"]["name"] == "hues"
            else:
                assert doc["metadata"].get("namespace") == "hues", f"{doc['kind']} {doc['metadata']['name']}"


def test_config_changes_roll_the_pods(k8s_rendered, config_map_name):
    """The ConfigMap is generated with a content hash in its name, and every pod refers to that name."""
    assert re.fullmatch(r"hues-config-[a-z0-9]{10}", config_map_name)
    for doc in k8s_rendered["apps"]:
        if doc["kind"] == "Deployment":
            (env_from,) = only_container(doc)["envFrom"]
            assert env_from["configMapRef"]["name"] == config_map_name


def test_migration_jobs_are_named_for_the_release(k8s_rendered):
    """Jobs are immutable: each release applies new ones, named with the image tag."""
    spec = yaml.safe_load((K8S / "migrations" / "kustomization.yaml").read_text())
    (image,) = spec["images"]
    assert spec["nameSuffix"] == "-" + image["newTag"].replace(".", "-")
    apps = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert apps["images"] == spec["images"], "apps and migrations must ship the same release"
    for doc in k8s_rendered["migrations"]:
        if doc["kind"] == "Job":
            assert doc["metadata"]["name"].endswith(spec["nameSuffix"])


def test_services_wait_for_the_schema_their_image_expects(service, deployments):
    pod = deployments[service.name]["spec"]["template"]["spec"]
    (check,) = pod["initContainers"]
    command = " ".join([*check.get("command", []), *check.get("args", [])])
    assert f"hues migrate {service.name} --check" in command
    assert check["image"] == only_container(deployments[service.name])["image"]
    assert explicit_env(check)[f"{service.prefix}DATABASE_URL"]["valueFrom"]["secretKeyRef"]


def test_namespace_enforces_the_restricted_pod_security_standard(k8s_documents):
    labels = of_kind(k8s_documents, "Namespace")["hues"]["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


def test_every_pod_meets_the_restricted_profile(k8s_documents):
    for owner in pod_owners(k8s_documents):
        name = owner["metadata"]["name"]
        pod = owner["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False, name
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        for container in [*pod.get("initContainers", []), *pod["containers"]]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert context["readOnlyRootFilesystem"] is True, name
            assert container["resources"]["requests"]["memory"], name
            assert container["resources"]["limits"]["memory"], name


def test_autoscaled_deployments_leave_the_replica_count_to_the_autoscaler(app, deployments, k8s_documents):
    assert "replicas" not in deployments[app.name]["spec"]
    assert app.name in of_kind(k8s_documents, "HorizontalPodAutoscaler")


def test_replicas_spread_over_nodes(app, deployments):
    constraints = deployments[app.name]["spec"]["template"]["spec"]["topologySpreadConstraints"]
    assert {c["topologyKey"] for c in constraints} >= {"kubernetes.io/hostname"}


def test_connection_budget_fits_the_runtime_role_limit(service, k8s_documents, config_map):
    """pool size + overflow (as many again) per replica, times the HPA maximum, within CONNECTION LIMIT."""
    script = (K8S.parents[0] / "postgres" / "service-database.psql").read_text()
    (limit,) = re.findall(r"CONNECTION LIMIT (\d+)", script)
    hpa = of_kind(k8s_documents, "HorizontalPodAutoscaler")[service.name]
    assert 2 * int(config_map["DATABASE_POOL_SIZE"]) * hpa["spec"]["maxReplicas"] <= int(limit)


def test_traffic_enters_through_a_tls_ingress_only(k8s_documents):
    (ingress,) = of_kind(k8s_documents, "Ingress").values()
    assert ingress["spec"]["tls"] and ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "gateway"
    for name, service in of_kind(k8s_documents, "Service").items():
        assert service["spec"]["type"] == "ClusterIP", name


def test_network_policies_deny_by_default(k8s_documents):
    policies = of_kind(k8s_documents, "NetworkPolicy")
    default = policies["default-deny"]["spec"]
    assert default["podSelector"] == {} and set(default["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in default and "egress" not in default


def test_egress_is_limited_to_the_platform_ports(k8s_documents):
    allowed = {53, 5432, 6379, 8001, 8002, 8003, 8004, 8005, 9092, 9093}
    for name, policy in of_kind(k8s_documents, "NetworkPolicy").items():
        for rule in policy["spec"].get("egress", []):
            ports = {port["port"] for port in rule["ports"]}
            if ports == {443}:
                (block,) = rule["to"]
                excluded = [ipaddress.ip_network(cidr) for cidr in block["ipBlock"]["except"]]
                assert ipaddress.ip_network("10.0.0.0/8") in excluded, "no private ranges over HTTPS"
                assert ipaddress.ip_network("169.254.0.0/16") in excluded, "no cloud metadata"
                continue
            assert ports <= allowed, f"{name}: {ports - allowed}"


def test_only_the_ingress_controller_reaches_the_gateway(k8s_documents):
    policy = of_kind(k8s_documents, "NetworkPolicy")["gateway-ingress"]["spec"]
    (rule,) = policy["ingress"]
    (source,) = rule["from"]
    assert "namespaceSelector" in source and "podSelector" not in source


def test_identity_and_gateway_trust_forwarded_addresses_beyond_loopback(deployments):
    """Without it identity counts every login against the gateway pod's address (issue 7 item 3)."""
    for app, variable in (
        ("identity", "IDENTITY_TRUSTED_PROXY_ADDRESSES"),
        ("gateway", "GATEWAY_TRUSTED_PROXIES"),
    ):
        trusted = json.loads(explicit_env(only_container(deployments[app]))[variable]["value"])
        assert trusted and not any(ipaddress.ip_network(cidr).is_loopback for cidr in trusted)


def test_the_same_six_apps_are_deployed_with_a_service_each(apps, deployments, k8s_documents):
    services = of_kind(k8s_documents, "Service")
    assert set(deployments) == {app.name for app in apps}
    assert set(services) == {app.name for app in apps}


def test_app_runs_hues_serve_on_its_port_with_probes(app, deployments):
    container = only_container(deployments[app.name])
    assert container["image"] == "registry.example/hues-platform:0.1.0"
    assert container["args"] == ["serve", app.name]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports["http"] == app.port
    assert explicit_env(container)[f"{app.prefix}PORT"]["value"] == str(app.port)
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "management"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "management"}


def test_probes_use_the_management_port_the_app_serves(app, deployments, config_map):
    """/readyz and /metrics answer only on <PREFIX>MANAGEMENT_PORT (issue 13 item 8), not the public one."""
    container = only_container(deployments[app.name])
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports["management"] == int(config_map["MANAGEMENT_PORT"]) != app.port


def test_app_shuts_down_gracefully(app, deployments):
    pod = deployments[app.name]["spec"]["template"]["spec"]
    shutdown = app.settings_class.model_fields["shutdown_grace_seconds"].default
    assert pod["terminationGracePeriodSeconds"] > shutdown + 5  # preStop sleep, then uvicorn drains


def test_app_scales_horizontally(app, k8s_documents):
    hpa = of_kind(k8s_documents, "HorizontalPodAutoscaler")[app.name]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": app.name}
    assert hpa["spec"]["minReplicas"] >= 2


def test_every_service_has_a_migration_job(service, k8s_documents):
    job = migration_jobs(k8s_documents)[service.name]
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
        assert env_from["prefix"] == app.prefix
        assert env_from["configMapRef"]["name"].startswith("hues-config-")
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
