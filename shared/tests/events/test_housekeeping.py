"""Fault 8: inbox rows, idempotency keys and resolved dead letters are purged after their retention."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hues_eventlab import app as lab

from hues_shared.db import Database
from hues_shared.events.housekeeping import Retention, purge_expired
from hues_shared.types import utcnow


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path}/housekeeping.db"
    await lab.create_schema(url)
    database = Database(url, source="/hues/lab-service")
    yield database
    await database.dispose()


async def _fill(db: Database) -> None:
    now, old = utcnow(), utcnow() - timedelta(days=60)
    async with db.unit_of_work() as session:
        for name, at in (("old", old), ("new", now)):
            await session.execute(
                lab.tables.inbox.insert().values(event_id=name, consumer="g", event_type="t", processed_at=at)
            )
            await session.execute(
                lab.tables.idempotency_keys.insert().values(
                    scope="s", key=name, request_hash="h", status_code=201, response_body={}, created_at=at
                )
            )
        for name, replayed in (("resolved-long-ago", old), ("resolved-today", now), ("pending", None)):
            await session.execute(
                lab.tables.dead_letters.insert().values(
                    event_id=name,
                    consumer="g",
                    topic="t",
                    event_type="t",
                    partition_key="k",
                    source="s",
                    occurred_at=old,
                    payload={},
                    error="e",
                    attempts=1,
                    failed_at=old,
                    replayed_at=replayed,
                )
            )


async def _left(db: Database, table: sa.Table, column: str) -> set[str]:
    async with db.sessions() as session:
        return set((await session.execute(sa.select(table.c[column]))).scalars())


async def test_purge_deletes_only_what_outlived_its_retention(db: Database) -> None:
    await _fill(db)
    deleted = await purge_expired(db, lab.tables, Retention())
    assert deleted == {"inbox": 1, "idempotency_keys": 1, "dead_letters": 1}
    assert await _left(db, lab.tables.inbox, "event_id") == {"new"}
    assert await _left(db, lab.tables.idempotency_keys, "key") == {"new"}
    assert await _left(db, lab.tables.dead_letters, "event_id") == {"resolved-today", "pending"}
