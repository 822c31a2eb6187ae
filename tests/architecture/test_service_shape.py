"""Every service has the same shape (docs/conventions.md), so a reader who learns one knows all six."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.architecture.apps import GATEWAY, REPO
from tests.architecture.apps import SERVICE_PACKAGES as SERVICES

SERVICE_FILES: tuple[str, ...] = (
    "pyproject.toml",
    "alembic.ini",
    "migrations/env.py",
    "src/{package}/__init__.py",
    "src/{package}/config.py",
    "src/{package}/db.py",
    "src/{package}/main.py",
    "src/{package}/events/__init__.py",
    "tests/conftest.py",
)
# The gateway owns no domain data: no database, so no db.py, migrations or outbox/inbox events package.
GATEWAY_FILES: tuple[str, ...] = (
    "pyproject.toml",
    "src/{package}/__init__.py",
    "src/{package}/config.py",
    "src/{package}/main.py",
    "tests/conftest.py",
)

ALL_APPS = [(folder, package, SERVICE_FILES) for folder, package in SERVICES.items()]
ALL_APPS.append((*GATEWAY, GATEWAY_FILES))
IDS = [folder for folder, _, _ in ALL_APPS]


def top_level_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def env_prefixes(path: Path) -> set[str]:
    """Every `env_prefix="..."` literal in a config module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        str(node.value.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "env_prefix" and isinstance(node.value, ast.Constant)
    }


@pytest.mark.parametrize(("folder", "package", "required"), ALL_APPS, ids=IDS)
def test_app_has_the_common_files(folder, package, required):
    missing = [
        name.format(package=package)
        for name in required
        if not (REPO / folder / name.format(package=package)).exists()
    ]
    assert not missing, f"{folder} lacks {missing} (docs/conventions.md: shape of a service)"


@pytest.mark.parametrize(("folder", "package", "required"), ALL_APPS, ids=IDS)
def test_main_has_the_app_factory(folder, package, required):
    main = REPO / folder / "src" / package / "main.py"
    if not main.exists():
        pytest.fail(f"{folder} has no main.py")
    functions = top_level_functions(main)
    assert "create_app" in functions
    if required is SERVICE_FILES:
        assert "definition" in functions, "services expose definition(settings) -> ServiceDefinition"


@pytest.mark.parametrize(("folder", "package", "required"), ALL_APPS, ids=IDS)
def test_config_uses_the_app_env_prefix(folder, package, required):
    prefix = folder.removesuffix("-service").upper() + "_"
    assert env_prefixes(REPO / folder / "src" / package / "config.py") == {prefix}


@pytest.mark.parametrize(("folder", "package"), SERVICES.items(), ids=list(SERVICES))
def test_service_has_at_least_one_migration(folder, package):
    versions = [
        path
        for path in (REPO / folder / "migrations" / "versions").glob("*.py")
        if path.name != "__init__.py"
    ]
    assert versions, f"{folder} has no Alembic revision"


@pytest.mark.parametrize(("folder", "package"), SERVICES.items(), ids=list(SERVICES))
def test_migrations_env_reads_the_service_database_url(folder, package):
    prefix = folder.removesuffix("-service").upper() + "_"
    assert f"{prefix}DATABASE_URL" in (REPO / folder / "migrations" / "env.py").read_text(encoding="utf-8")
