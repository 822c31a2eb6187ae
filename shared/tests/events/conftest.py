"""Real-infrastructure fixtures for the event tests: the lab schema on PostgreSQL and a broker per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from hues_eventlab import app as lab

from hues_shared.db import Database
from hues_shared.testing.infrastructure import TansuBroker, start_tansu


@pytest.fixture
def fresh_broker() -> Iterator[TansuBroker]:
    """A broker of this test's own (topics and group offsets shared with no other test; may be stopped)."""
    yield from start_tansu()


@pytest.fixture
async def lab_db(postgres_url: str) -> AsyncIterator[Database]:
    await lab.create_schema(postgres_url)
    db = Database(postgres_url, source=f"/hues/{lab.SERVICE}", pool_size=5)
    yield db
    await db.dispose()
