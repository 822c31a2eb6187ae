"""One database fixture for API tests on SQLite and, where SQL or locks matter, on PostgreSQL too.

`database_url` (pytest plugin) is a fresh, empty database for one test: a SQLite file by default, or a
PostgreSQL database when the test runs with `database_backend = "postgresql"`. A test folder opts into
both by declaring, in its conftest.py,

    pytest_generate_tests = on_both_databases

and a single test or module with `pytestmark = pytest.mark.databases("sqlite", "postgresql")`. Where to opt in
(and where not, to keep `make test` short): docs/testing.md, "Databases".
"""

from __future__ import annotations

from typing import Any

import pytest

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BACKENDS = (SQLITE, POSTGRESQL)


def backend_params(backends: tuple[str, ...] = BACKENDS) -> list[Any]:
    """pytest params for the backends, PostgreSQL marked `postgres` (fails under CI=true when absent)."""
    return [
        pytest.param(b, id=b, marks=pytest.mark.postgres) if b == POSTGRESQL else pytest.param(b, id=b)
        for b in backends
    ]


def on_both_databases(metafunc: pytest.Metafunc) -> None:
    """A conftest hook (`pytest_generate_tests = on_both_databases`): the folder's tests that use a database
    run on SQLite and on PostgreSQL, unless a test's own `databases` marker says otherwise."""
    if (
        "database_backend" in metafunc.fixturenames
        and metafunc.definition.get_closest_marker("databases") is None
    ):
        metafunc.parametrize("database_backend", backend_params(), indirect=True)


def parametrize_marked(metafunc: pytest.Metafunc) -> None:
    """`@pytest.mark.databases(...)` on a test or module: run it on those backends (default both)."""
    marker = metafunc.definition.get_closest_marker("databases")
    if marker is None or "database_backend" not in metafunc.fixturenames:
        return
    backends = tuple(marker.args) or BACKENDS
    if unknown := set(backends) - set(BACKENDS):
        raise ValueError(f"unknown database backends {sorted(unknown)} (known: {BACKENDS})")
    metafunc.parametrize("database_backend", backend_params(backends), indirect=True)
