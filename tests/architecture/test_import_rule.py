"""The import rule: services import only `hues_shared`, never each other; shared imports no service.

Runs in `make lint` as `.venv/bin/python -m pytest tests/architecture -q`. Reads source with `ast`, so a
file that does not even import cleanly is still checked. deploy/launcher and the cross-service tests in
tests/ may import every app; nothing else may.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.architecture.apps import APP_PACKAGES, REPO

LAUNCHER_PACKAGE = "hues_launcher"
CHECKED_FOLDERS = ("src", "tests", "migrations")
DYNAMIC_IMPORTERS = {"import_module", "__import__", "importorskip"}


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}: imports {self.module}"


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import statement and constant dynamic import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:  # relative imports stay inside their own package
                yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in DYNAMIC_IMPORTERS and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def violations(roots: list[Path], forbidden: set[str]) -> list[Violation]:
    found = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            for line, module in imported_modules(path):
                if module.split(".")[0] in forbidden:
                    found.append(Violation(path, line, module))
    return found


def checked_roots(app_dir: Path) -> list[Path]:
    return [app_dir / folder for folder in CHECKED_FOLDERS if (app_dir / folder).is_dir()]


@pytest.mark.parametrize("app_dir", sorted(APP_PACKAGES), ids=sorted(APP_PACKAGES))
def test_app_imports_no_other_app_nor_the_launcher(app_dir):
    own = APP_PACKAGES[app_dir]
    forbidden = (set(APP_PACKAGES.values()) - {own}) | {LAUNCHER_PACKAGE}
    roots = checked_roots(REPO / app_dir)
    assert roots, f"{app_dir} has none of {CHECKED_FOLDERS}"
    found = violations(roots, forbidden)
    assert not found, "services import only hues_shared, never each other:\n" + "\n".join(map(str, found))


def test_shared_imports_no_app():
    roots = checked_roots(REPO / "shared")
    forbidden = set(APP_PACKAGES.values()) | {LAUNCHER_PACKAGE}
    found = violations(roots, forbidden)
    assert not found, "the shared library must not depend on any app:\n" + "\n".join(map(str, found))


def test_every_app_directory_is_covered_by_the_rule():
    """A new service folder must be added to APP_PACKAGES, or it escapes the rule unnoticed."""
    app_dirs = {path.parent.parent.parent.name for path in REPO.glob("*/src/*/__init__.py")} - {"shared"}
    assert app_dirs == set(APP_PACKAGES)


def test_the_checker_sees_every_kind_of_import(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "import os\n"
        "import identity_service.config\n"
        "from feedback_service.main import create_app\n"
        "from . import sibling\n"
        "import importlib\n"
        "importlib.import_module('catalog_service.db')\n"
        "from hues_launcher import cli\n",
        encoding="utf-8",
    )
    found = {(line, module) for line, module in imported_modules(source)}
    assert {
        (2, "identity_service.config"),
        (3, "feedback_service.main"),
        (6, "catalog_service.db"),
        (7, "hues_launcher"),
    } <= found
    assert not any(module == "sibling" for _, module in found)
