"""Fixtures for the deployment-descriptor tests: the parsed compose file and each app's settings class."""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from hues_shared.testing.infrastructure import unavailable

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class App:
    """One deployable app: its `hues serve` name, settings module and env prefix."""

    name: str
    config_module: str
    prefix: str
    port: int
    has_database: bool = True

    @property
    def settings_class(self) -> type[BaseSettings]:
        return settings_class_in(self.config_module, self.prefix)

    @property
    def env_names(self) -> dict[str, str]:
        """Env var name -> settings field, so a renamed setting breaks the descriptor tests."""
        return env_names(self.settings_class)


SERVICES = (
    App("identity", "identity_service.config", "IDENTITY_", 8001),
    App("integration", "integration_service.config", "INTEGRATION_", 8002),
    App("feedback", "feedback_service.config", "FEEDBACK_", 8003),
    App("notification", "notification_service.config", "NOTIFICATION_", 8004),
    App("catalog", "catalog_service.config", "CATALOG_", 8005),
)
GATEWAY = App("gateway", "gateway.config", "GATEWAY_", 8000, has_database=False)
APPS = (*SERVICES, GATEWAY)


def settings_class_in(module_name: str, prefix: str) -> type[BaseSettings]:
    """The settings class an app's config module defines with this env prefix (whatever it is called)."""
    module = importlib.import_module(module_name)
    found = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, BaseSettings)
        and obj.__module__ == module.__name__
        and obj.model_config.get("env_prefix") == prefix
    ]
    assert len(found) == 1, (
        f"{module_name} should define one settings class with env_prefix={prefix!r}: {found}"
    )
    return found[0]


def env_names(settings_cls: type[BaseSettings]) -> dict[str, str]:
    """Environment variable name (upper case) -> field name, as pydantic-settings reads them."""
    prefix = str(settings_cls.model_config.get("env_prefix", ""))
    names: dict[str, str] = {}
    for field_name, field in settings_cls.model_fields.items():
        alias = field.validation_alias or field.alias
        if alias is None:
            candidates = [prefix + field_name]
        elif isinstance(alias, str):
            candidates = [alias]  # an alias replaces the prefixed name
        elif isinstance(alias, AliasChoices):
            candidates = [choice for choice in alias.choices if isinstance(choice, str)]
        else:
            candidates = []
        for candidate in candidates:
            names[candidate.upper()] = field_name
            # hues_shared.settings.FileVariables: the value may come from the file <NAME>_FILE names.
            names[candidate.upper() + "_FILE"] = field_name
    return names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`app` runs a test for each of the six apps, `service` for each of the five services with a database."""
    if "app" in metafunc.fixturenames:
        metafunc.parametrize("app", APPS, ids=[app.name for app in APPS])
    if "service" in metafunc.fixturenames:
        metafunc.parametrize("service", SERVICES, ids=[app.name for app in SERVICES])


@pytest.fixture(scope="session")
def apps() -> tuple[App, ...]:
    return APPS


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    with (REPO / "docker-compose.yml").open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@pytest.fixture(scope="session")
def compose_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose["services"]
    return services


@pytest.fixture(scope="session")
def init_databases() -> set[str]:
    """Databases the postgres init script creates (one per name its loop runs service-database.psql for)."""
    script = (REPO / "deploy" / "postgres" / "01-service-databases.sh").read_text(encoding="utf-8")
    (names,) = re.findall(r"^for svc in ([\w ]+); do$", script, flags=re.MULTILINE)
    return set(names.split())


def kustomize(folder: Path) -> list[dict[str, Any]]:
    """What `kubectl apply -k folder` sends: the rendered kustomization (kubectl's own kustomize)."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        unavailable("kubectl (its built-in kustomize renders deploy/k8s) is not installed")
    result = subprocess.run(
        [str(kubectl), "kustomize", str(folder)], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def k8s_rendered() -> dict[str, list[dict[str, Any]]]:
    """The two kustomizations the README applies, rendered: the apps and the release's migration Jobs."""
    k8s = REPO / "deploy" / "k8s"
    return {"apps": kustomize(k8s), "migrations": kustomize(k8s / "migrations")}


@pytest.fixture(scope="session")
def k8s_documents(k8s_rendered) -> list[tuple[Path, dict[str, Any]]]:
    """Every object an operator applies, plus the example Secret (applied by hand, never by kustomize)."""
    k8s = REPO / "deploy" / "k8s"
    docs = [(k8s, doc) for doc in k8s_rendered["apps"]]
    docs += [(k8s / "migrations", doc) for doc in k8s_rendered["migrations"]]
    with (k8s / "secret.example.yaml").open(encoding="utf-8") as handle:
        docs.extend((k8s / "secret.example.yaml", doc) for doc in yaml.safe_load_all(handle) if doc)
    return docs
