"""pytest plugin loaded for the whole workspace (-p hues_shared.testing.plugin): shared fixtures."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

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


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[TansuBroker]:
    yield from start_tansu()
