"""docker-compose.yml is checked by reading it: no container engine runs on the build machines."""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
# A secret is required from the operator (`${VAR:?why}`) or optional and empty by default (`${VAR:-}`).
OPERATOR_SECRET = re.compile(r"^\$\{[A-Z0-9_]+(:\?[^}]*|:-)\}$")
# Names the platform's contract fixes (issue 2, item 4) even before a source file reads them.
CONTRACT_VARIABLES = {"HUES_BOOTSTRAP_ADMIN_USERNAME", "HUES_BOOTSTRAP_ADMIN_PASSWORD"}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|AUTH|_KEY$")
INFRASTRUCTURE = ("postgres", "kafka", "redis")
# Settings every app container sets explicitly (field names of hues_shared.settings.ServiceSettings).
REQUIRED_SETTINGS = (
    "ENVIRONMENT",
    "HOST",
    "PORT",
    "BUS",
    "KAFKA_BOOTSTRAP_SERVERS",
    "JWT_ISSUER",
    "JWKS_URL",
)


def interpolate(value: str, *, required: str = "set-by-operator") -> str:
    """Resolve `${VAR}`, `${VAR:-default}` and `${VAR:?error}` as if the operator set every required one."""

    def resolve(match: re.Match[str]) -> str:
        return match.group("arg") if match.group("op") in (":-", "-") else required

    return INTERPOLATION.sub(resolve, value)


def url_password(raw: str) -> str | None:
    """The password part of a URL whose parts may be `${...}` interpolations (which contain `?` and `:`)."""
    found: list[str] = []

    def hide(match: re.Match[str]) -> str:
        found.append(match.group(0))
        return f"interpolation{len(found) - 1}x"

    password = urlsplit(INTERPOLATION.sub(hide, raw)).password
    if password is None:
        return None
    return re.sub(r"interpolation(\d+)x", lambda match: found[int(match.group(1))], password)


def environment_of(container: dict[str, Any]) -> dict[str, str]:
    env = container.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(key): "" if value is None else str(value) for key, value in env.items()}


def mount_secrets(
    compose: dict[str, Any],
    container: dict[str, Any],
    env: dict[str, str],
    folder: Path,
    values: dict[str, str],
) -> dict[str, str]:
    """Do what compose does with `secrets:`: each /run/secrets/<name> becomes a file holding the value of
    the variable the top-level secret reads (`values`, else a placeholder)."""
    mounted = {
        str(item if isinstance(item, str) else item["source"]) for item in container.get("secrets", [])
    }
    resolved = dict(env)
    for variable, value in env.items():
        if value.startswith("/run/secrets/"):
            name = value.removeprefix("/run/secrets/")
            assert name in mounted, f"{variable} points at secret {name}, which the container does not mount"
            source = compose["secrets"][name]["environment"]
            path = folder / name
            path.write_text(values.get(source, "set-by-operator"))
            resolved[variable] = str(path)
    return resolved


def command_of(container: dict[str, Any]) -> str:
    parts = [*(container.get("entrypoint") or []), *(container.get("command") or [])]
    return " ".join(str(part) for part in parts)


def app_containers(services: dict[str, Any], app: Any) -> dict[str, dict[str, Any]]:
    """The long-running container and, for a service, its one-shot migration container."""
    names = [app.name] + ([f"{app.name}-migrate"] if app.has_database else [])
    return {name: services[name] for name in names}


def mentioned_in_sources(name: str, repo: Path, app: Any) -> bool:
    """An env var outside the settings prefix must be read somewhere: launcher, shared or the app itself."""
    package_dir = app.config_module.split(".")[0]
    roots = [
        repo / "deploy" / "launcher" / "src",
        repo / "shared" / "src",
        *repo.glob(f"*/src/{package_dir}"),
    ]
    return any(name in path.read_text(encoding="utf-8") for root in roots for path in root.rglob("*.py"))


# --- topology ----------------------------------------------------------------------------------


def test_every_app_is_a_container_built_from_the_one_dockerfile(compose_services, app):
    container = compose_services[app.name]
    build = container["build"]
    assert build["context"] == "."
    assert build["dockerfile"] == "deploy/Dockerfile"
    assert container["command"] == ["serve", app.name]


def test_every_service_has_a_one_shot_migration_from_the_same_image(compose_services, service):
    migrate = compose_services[f"{service.name}-migrate"]
    assert migrate["build"] == compose_services[service.name]["build"]
    assert migrate["image"] == compose_services[service.name]["image"]
    assert migrate.get("restart") == "on-failure:5", (
        "a migration started before the database is ready retries"
    )
    command = command_of(migrate)
    assert f"hues migrate {service.name}" in command
    assert f"hues seed {service.name}" in command
    assert command.index("hues migrate") < command.index("hues seed"), "seed needs the migrated schema"
    assert "&&" in command, "a failed migration must not be followed by the seed"


def test_app_names_are_the_ones_the_hues_cli_accepts(compose_services, apps):
    from hues_launcher.registry import ALL_APPS, SERVICES

    for app in apps:
        assert app.name in ALL_APPS
        assert (app.name in SERVICES) == app.has_database
    for name in compose_services:
        if name.endswith("-migrate"):
            assert name.removesuffix("-migrate") in SERVICES


def test_every_container_has_a_healthcheck(compose_services):
    for name, container in compose_services.items():
        check = container.get("healthcheck")
        assert check, f"{name} has no healthcheck"
        if name.endswith("-migrate"):
            assert check.get("disable") is True, f"{name}: a one-shot job is judged by its exit code"
        else:
            assert check.get("test"), f"{name}: healthcheck without a test"
            assert not check.get("disable"), f"{name}: healthcheck disabled"


def test_app_healthcheck_asks_readyz_on_the_port_it_serves_with_python_urllib(compose_services, app):
    container = compose_services[app.name]
    test = " ".join(container["healthcheck"]["test"])
    port = environment_of(container)[f"{app.prefix}PORT"]
    assert port == str(app.port)
    assert "python" in test and "urllib" in test, "slim images have no curl"
    assert f"http://127.0.0.1:{port}/readyz" in test


def test_infrastructure_healthchecks(compose_services):
    assert "pg_isready" in " ".join(compose_services["postgres"]["healthcheck"]["test"])
    assert "kafka-broker-api-versions" in " ".join(compose_services["kafka"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(compose_services["redis"]["healthcheck"]["test"])


def test_only_the_gateway_publishes_a_port(compose_services):
    published = {name for name, container in compose_services.items() if container.get("ports")}
    assert published == {"gateway"}
    (mapping,) = compose_services["gateway"]["ports"]
    host, _, container_port = interpolate(str(mapping)).rpartition(":")
    assert host == "8000"
    assert container_port == environment_of(compose_services["gateway"])["GATEWAY_PORT"] == "8000"


def test_apps_stop_gracefully(compose_services, app):
    grace = compose_services[app.name]["stop_grace_period"]
    seconds = int(grace.removesuffix("s"))
    shutdown = app.settings_class.model_fields["shutdown_grace_seconds"].default
    assert seconds > shutdown, "docker must not SIGKILL before uvicorn has drained"


# --- databases ---------------------------------------------------------------------------------


def test_postgres_runs_the_init_scripts_of_deploy_postgres(compose_services):
    postgres = compose_services["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]


def test_each_service_uses_its_own_database_created_by_the_init_script(
    compose_services, service, init_databases
):
    for name, container in app_containers(compose_services, service).items():
        url = urlsplit(interpolate(environment_of(container)[f"{service.prefix}DATABASE_URL"]))
        assert url.scheme == "postgresql+asyncpg", name
        assert url.hostname == "postgres", name
        assert url.path.lstrip("/") == service.name, f"{name} must use the {service.name} database"
        assert url.username == f"{service.name}_app", f"{name} must run as the DML-only role"
        assert service.name in init_databases


def test_only_the_migration_connects_as_the_schema_owner(compose_services, service):
    migrate_env = environment_of(compose_services[f"{service.name}-migrate"])
    owner = urlsplit(interpolate(migrate_env[f"{service.prefix}MIGRATION_DATABASE_URL"]))
    assert owner.username == f"{service.name}_owner" and owner.path == f"/{service.name}"
    assert f"{service.prefix}MIGRATION_DATABASE_URL" not in environment_of(compose_services[service.name])


def test_postgres_healthcheck_asks_over_tcp_on_a_debian_image(compose_services):
    postgres = compose_services["postgres"]
    assert "-bookworm" in postgres["image"], "glibc/ICU collations for Vietnamese names"
    assert "-h 127.0.0.1" in " ".join(postgres["healthcheck"]["test"]), (
        "the init server answers on the socket"
    )


def test_every_role_password_reaches_the_init_script(compose_services, service):
    env = environment_of(compose_services["postgres"])
    for variable in (f"{service.prefix}DB_OWNER_PASSWORD", f"{service.prefix}DB_PASSWORD"):
        assert env[variable] == f"${{{variable}:?set {variable}}}"


def test_no_two_services_share_a_database(compose_services, apps):
    databases = [
        urlsplit(interpolate(environment_of(compose_services[app.name])[f"{app.prefix}DATABASE_URL"])).path
        for app in apps
        if app.has_database
    ]
    assert len(databases) == len(set(databases)) == 5


# --- environment -------------------------------------------------------------------------------


def test_every_prefixed_variable_is_a_setting_of_that_app(compose_services, app, repo):
    known = app.env_names
    for name, container in app_containers(compose_services, app).items():
        for variable in environment_of(container):
            if variable.startswith(app.prefix):
                assert variable in known, (
                    f"{name}: {variable} is not a field of {app.settings_class.__name__}"
                )
            else:
                assert variable in CONTRACT_VARIABLES or mentioned_in_sources(variable, repo, app), (
                    f"{name}: nothing reads {variable}"
                )


def test_required_settings_are_present(compose_services, app):
    required = [*REQUIRED_SETTINGS]
    if app.has_database:
        required.append("DATABASE_URL")
    else:
        required += [
            "REDIS_URL",
            *(
                f"UPSTREAM_{other.upper()}_URL"
                for other in ("identity", "integration", "feedback", "notification", "catalog")
            ),
        ]
    for name, container in app_containers(compose_services, app).items():
        env = environment_of(container)
        missing = [f"{app.prefix}{key}" for key in required if f"{app.prefix}{key}" not in env]
        assert not missing, f"{name} lacks {missing}"
        assert env[f"{app.prefix}ENVIRONMENT"] == "production"
        assert env[f"{app.prefix}BUS"] == "kafka"
        assert env[f"{app.prefix}KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env[f"{app.prefix}HOST"] == "0.0.0.0"


def test_settings_without_default_are_set(compose_services, app):
    required_fields = {field for field, info in app.settings_class.model_fields.items() if info.is_required()}
    env = environment_of(compose_services[app.name])
    set_fields = {app.env_names[variable] for variable in env if variable in app.env_names}
    assert required_fields <= set_fields


def test_the_compose_environment_validates_as_production_settings(
    compose, compose_services, app, monkeypatch, tmp_path
):
    for variable in list(os.environ):
        if variable.upper().startswith((app.prefix, "HUES_")):
            monkeypatch.delenv(variable)
    for name, container in app_containers(compose_services, app).items():
        env = {variable: interpolate(value) for variable, value in environment_of(container).items()}
        for variable, value in mount_secrets(compose, container, env, tmp_path, {}).items():
            monkeypatch.setenv(variable, value)
        settings = app.settings_class()
        assert settings.environment == "production", name
        assert settings.bus == "kafka", name
        assert settings.port == app.port, name


def test_keys_come_from_identity_inside_the_network_and_the_issuer_is_public(compose_services, apps):
    issuers = set()
    for app in apps:
        env = environment_of(compose_services[app.name])
        assert env[f"{app.prefix}JWKS_URL"] == "http://identity:8001/.well-known/jwks.json"
        issuers.add(env[f"{app.prefix}JWT_ISSUER"])
    assert len(issuers) == 1, "identity signs with the issuer every other app expects"
    # Discovery tells clients the issuer: the public URL, never a compose-internal name (issue 14 item 1).
    assert interpolate(issuers.pop()) == "http://localhost:8000"


def test_gateway_routes_to_each_service_by_its_compose_name(compose_services, apps):
    env = environment_of(compose_services["gateway"])
    for app in apps:
        if app.has_database:
            assert env[f"GATEWAY_UPSTREAM_{app.name.upper()}_URL"] == f"http://{app.name}:{app.port}"


def test_no_secret_is_committed(compose_services):
    for name, container in compose_services.items():
        values = {**environment_of(container), "command": " ".join(map(str, container.get("command") or []))}
        for variable, value in values.items():
            if SECRET_NAME.search(variable):
                assert OPERATOR_SECRET.match(value), (
                    f"{name}: {variable} must come from the operator's environment"
                )
            if "://" in value and (password := url_password(value)) is not None:
                assert OPERATOR_SECRET.match(password), f"{name}: {variable} embeds a literal password"


def test_database_and_redis_urls_take_their_password_from_the_operator(compose_services, apps):
    for app in apps:
        env = environment_of(compose_services[app.name])
        url = env[f"{app.prefix}DATABASE_URL"] if app.has_database else env["GATEWAY_REDIS_URL"]
        variable = f"{app.prefix}DB_PASSWORD" if app.has_database else "REDIS_PASSWORD"
        assert url_password(url) == f"${{{variable}:?set {variable}}}"


# --- Kafka, Redis, ordering --------------------------------------------------------------------


def test_kafka_is_the_official_image_in_kraft_mode_without_zookeeper(compose_services):
    kafka = compose_services["kafka"]
    env = environment_of(kafka)
    assert kafka["image"].startswith("apache/kafka:")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert "CONTROLLER" in env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false", "services create their own topics"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert not any("ZOOKEEPER" in variable for variable in env)
    assert not any("zookeeper" in name for name in compose_services)
    cluster_id = interpolate(env["CLUSTER_ID"])
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16, "a KRaft cluster id is a base64 UUID"


def test_services_start_after_their_migration_and_the_infrastructure(compose_services, service):
    depends = compose_services[service.name]["depends_on"]
    assert depends[f"{service.name}-migrate"]["condition"] == "service_completed_successfully"
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["kafka"]["condition"] == "service_healthy"
    migrate_depends = compose_services[f"{service.name}-migrate"]["depends_on"]
    assert migrate_depends["postgres"]["condition"] == "service_healthy"


def test_gateway_starts_after_redis_and_every_service_is_ready(compose_services, apps):
    depends = compose_services["gateway"]["depends_on"]
    assert depends["redis"]["condition"] == "service_healthy"
    for app in apps:
        if app.has_database:
            assert depends[app.name]["condition"] == "service_healthy"


def test_redis_is_wired_to_the_gateway_only(compose_services):
    redis = compose_services["redis"]
    url = urlsplit(interpolate(environment_of(compose_services["gateway"])["GATEWAY_REDIS_URL"]))
    assert url.scheme == "redis" and url.hostname == "redis" and url.port == 6379
    password_in_url = url_password(environment_of(compose_services["gateway"])["GATEWAY_REDIS_URL"])
    assert password_in_url in redis["command"], "the gateway must use the password redis requires"
    assert environment_of(redis)["REDISCLI_AUTH"] == password_in_url, "the healthcheck must authenticate"
    users = [
        name for name, container in compose_services.items() if "redis" in (container.get("depends_on") or {})
    ]
    assert users == ["gateway"]


def test_identity_believes_forwarded_client_addresses_only_from_the_compose_network(
    compose, compose_services
):
    """No fixed subnet or address (it collides with host networks); only private peers are trusted."""
    assert "networks" not in compose
    assert all("networks" not in container for container in compose_services.values())
    trusted = json.loads(environment_of(compose_services["identity"])["IDENTITY_TRUSTED_PROXY_ADDRESSES"])
    assert trusted and all(ipaddress.ip_network(cidr).is_private for cidr in trusted)


# --- image -------------------------------------------------------------------------------------


def test_identity_keys_reach_the_containers_as_secret_files(compose, compose_services):
    for name in ("identity", "identity-migrate"):
        env = environment_of(compose_services[name])
        for key in ("DATA_ENCRYPTION_KEY", "BLIND_INDEX_KEY", "SIGNING_KEY_ENCRYPTION_KEY"):
            assert f"IDENTITY_{key}" not in env, "a key in the environment shows in `docker inspect`"
            secret = env[f"IDENTITY_{key}_FILE"].removeprefix("/run/secrets/")
            assert secret in compose_services[name]["secrets"]
            assert compose["secrets"][secret] == {"environment": f"IDENTITY_{key}"}


def test_dockerfile_entrypoint_is_the_hues_console_script(repo):
    scripts = tomllib.loads((repo / "deploy" / "launcher" / "pyproject.toml").read_text())["project"][
        "scripts"
    ]
    dockerfile = (repo / "deploy" / "Dockerfile").read_text()
    (entrypoint,) = re.findall(r"^ENTRYPOINT\s+(.+)$", dockerfile, flags=re.MULTILINE)
    assert entrypoint.strip() == '["hues"]'
    assert "hues" in scripts


@pytest.mark.parametrize(
    "rule",
    [
        "FROM ${PYTHON_IMAGE}",
        "ARG PYTHON_IMAGE=python:3.11-slim",
        'pip install "uv==${UV_VERSION}"',
        "uv sync --frozen --no-dev",
        "USER 10001",
        "HEALTHCHECK",
    ],
)
def test_dockerfile_follows_the_image_rules(repo, rule):
    assert rule in (repo / "deploy" / "Dockerfile").read_text()


def test_dockerfile_installs_the_uv_version_the_makefile_pins(repo):
    (makefile_uv,) = re.findall(r"^UV_VERSION := (\S+)$", (repo / "Makefile").read_text(), flags=re.MULTILINE)
    (image_uv,) = re.findall(r"^ARG UV_VERSION=(\S+)$", (repo / "deploy" / "Dockerfile").read_text(), re.M)
    assert image_uv == makefile_uv


def test_dockerfile_copies_every_workspace_member_manifest(repo):
    members = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]["members"]
    dockerfile = (repo / "deploy" / "Dockerfile").read_text()
    for member in members:
        assert f"COPY {member}/pyproject.toml {member}/" in dockerfile, (
            f"{member} missing from the dependency layer"
        )


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image(repo):
    ignored = set((repo / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var", ".env", "**/__pycache__"} <= ignored


# --- the compose specification's own schema -----------------------------------------------------


def _check_against_compose_spec(path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with its vendored copy of the compose specification's JSON schema (offline)."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_compose_file_is_valid_against_the_compose_specification(repo):
    result = _check_against_compose_spec(repo / "docker-compose.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_schema_check_refuses_a_misspelt_key(tmp_path):
    broken = tmp_path / "compose.yml"
    broken.write_text("services:\n  gateway:\n    imagee: hues-platform\n")
    assert _check_against_compose_spec(broken).returncode == 1
