"""pytest plugin loaded for the whole workspace (-p hues_shared.testing.plugin): shared fixtures."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from hues_shared.testing.databases import POSTGRESQL, SQLITE, parametrize_marked
from hues_shared.testing.infrastructure import (
    DEFAULT_TEST_DATABASE_URL,
    PostgresServer,
    TansuBroker,
    probe_postgres,
    start_tansu,
    unavailable,
)
from hues_shared.testing.tokens import SigningKeys


@pytest.fixture(scope="session")
def test_keys() -> SigningKeys:
    return SigningKeys()


@pytest.fixture(scope="session")
async def postgres_server() -> AsyncIterator[PostgresServer]:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)
    problem = await probe_postgres(url)
    if problem:
        unavailable(f"PostgreSQL not reachable at {url}: {problem}")
    server = PostgresServer(url)
    yield server
    await server.drop_all()


@pytest.fixture
async def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database for one test (dropped at the end of the session)."""
    return await postgres_server.create_database()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "databases(*backends): run on these database backends (sqlite, postgresql; default both)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_marked(metafunc)


@pytest.fixture
def database_backend(request: pytest.FixtureRequest) -> str:
    """SQLite unless the test's folder or marker asks for more (hues_shared.testing.databases)."""
    return str(getattr(request, "param", SQLITE))


@pytest.fixture
def database_url(database_backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database for one test on the chosen backend; the service's migrations fill it."""
    if database_backend == POSTGRESQL:
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite+aiosqlite:///{tmp_path}/service.db"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """Real Redis (TEST_REDIS_URL, default 127.0.0.1:6379): missing fails under CI=true, skips elsewhere."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:
        unavailable(f"Redis not reachable at {url}: {exc}")
    return url


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[TansuBroker]:
    yield from start_tansu()
