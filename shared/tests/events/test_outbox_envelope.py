"""What the relay publishes is the envelope recorded in the transaction, field for field: consumers
deduplicate by its id and order by its time (killers of mutants that survived `make mutation`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hues_eventlab import app as lab

from hues_shared.db import Database
from hues_shared.events.outbox import OutboxRelay, record_event, record_events
from hues_shared.metrics import ServiceMetrics
from hues_shared.testing.events import RecordingBus


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path}/outbox.db"
    await lab.create_schema(url)
    database = Database(url, source="/hues/lab-service")
    yield database
    await database.dispose()


async def test_relay_publishes_the_recorded_envelope_unchanged(db: Database) -> None:
    bus = RecordingBus()
    relay = OutboxRelay(db=db, bus=bus, tables=lab.tables, metrics=ServiceMetrics("lab"))
    async with db.unit_of_work() as session:
        recorded = await record_event(
            session, lab.tables, lab.ItemRecorded(item_key="k", seq=1), subject="item/k"
        )
    assert await relay.relay_once() == 1
    [published] = bus.published
    assert published.id == recorded.id
    assert published.time == recorded.time
    assert published.subject == "item/k"
    assert (published.type, published.topic, published.key, published.source) == (
        recorded.type,
        recorded.topic,
        "k",
        "/hues/lab-service",
    )
    assert published.data == recorded.data


async def test_several_events_recorded_at_once_keep_their_subject_and_order(db: Database) -> None:
    bus = RecordingBus()
    relay = OutboxRelay(db=db, bus=bus, tables=lab.tables, metrics=ServiceMetrics("lab"))
    events = [lab.ItemRecorded(item_key=key, seq=n) for n, key in enumerate("xyz")]
    async with db.unit_of_work() as session:
        recorded = await record_events(session, lab.tables, events, subject="batch")
        assert await record_events(session, lab.tables, []) == []
    assert await relay.relay_once() == 3
    assert [e.id for e in bus.published] == [e.id for e in recorded]
    assert {e.subject for e in bus.published} == {"batch"}
