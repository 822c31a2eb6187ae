"""The transactional outbox on SQLite and the in-memory bus: sent only if committed, in order, once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hues_eventlab import app as lab
from hues_eventlab.waiting import eventually

from hues_shared.context import traceparent_var
from hues_shared.db import Database
from hues_shared.events.outbox import OutboxRelay, record_event
from hues_shared.metrics import ServiceMetrics
from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import RecordingBus, outbox_events
from hues_shared.types import utcnow


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path}/outbox.db"
    await lab.create_schema(url)
    database = Database(url, source="/hues/lab-service")
    yield database
    await database.dispose()


def relay_for(db: Database, bus: RecordingBus, **kwargs: object) -> OutboxRelay:
    return OutboxRelay(db=db, bus=bus, tables=lab.tables, metrics=ServiceMetrics("lab"), **kwargs)  # type: ignore[arg-type]


async def record(db: Database, *keys: str) -> None:
    async with db.unit_of_work() as session:
        for seq, key in enumerate(keys):
            await record_event(session, lab.tables, lab.ItemRecorded(item_key=key, seq=seq))


async def test_event_is_not_sent_when_the_transaction_rolls_back(db: Database) -> None:
    bus = RecordingBus()
    relay = relay_for(db, bus)
    with pytest.raises(RuntimeError):
        async with db.unit_of_work() as session:
            await record_event(session, lab.tables, lab.ItemRecorded(item_key="a", seq=1))
            raise RuntimeError("the state change failed")
    assert await relay.relay_once() == 0
    assert bus.published == [] and await relay.backlog() == 0


async def test_events_of_a_rolled_back_transaction_are_not_written_by_the_next_commit(db: Database) -> None:
    bus = RecordingBus()
    async with db.sessions() as session:
        await session.begin()
        await record_event(session, lab.tables, lab.ItemRecorded(item_key="undone", seq=1))
        await session.rollback()
        await session.begin()
        await record_event(session, lab.tables, lab.ItemRecorded(item_key="kept", seq=2))
        await session.commit()
    await relay_for(db, bus).relay_once()
    assert [e.key for e in bus.published] == ["kept"]


async def test_relay_publishes_in_commit_order_and_marks_rows_sent(db: Database) -> None:
    """Eight transactions, committed one after the other, each recording one event (its event id is
    random, so an order by id would show); then a batch-limited relay sends them in commit order."""
    bus = RecordingBus()
    relay = relay_for(db, bus, batch_size=3)
    keys = [f"k{n}" for n in range(8)]
    for key in keys:
        await record(db, key)
    assert await relay.backlog() == 8
    assert [await relay.relay_once() for _ in range(4)] == [3, 3, 2, 0]
    assert [e.key for e in bus.published] == keys
    assert {e.topic for e in bus.published} == {"lab.item"}
    assert {e.source for e in bus.published} == {"/hues/lab-service"}
    async with db.sessions() as session:
        unsent = await session.scalar(
            sa.select(sa.func.count())
            .select_from(lab.tables.outbox)
            .where(lab.tables.outbox.c.published_at.is_(None))
        )
    assert unsent == 0


async def test_relay_keeps_the_order_of_events_within_one_transaction(db: Database) -> None:
    bus = RecordingBus()
    relay = relay_for(db, bus)
    await record(db, "c", "a", "b")
    await relay.relay_once()
    assert [e.key for e in bus.published] == ["c", "a", "b"]


async def test_events_wait_in_the_outbox_while_the_bus_is_down(db: Database) -> None:
    bus = RecordingBus()
    bus.available = False
    relay = relay_for(db, bus)
    await record(db, "a", "b")
    with pytest.raises(ConnectionError):
        await relay.relay_once()
    assert await relay.backlog() == 2
    bus.available = True
    assert await relay.relay_once() == 2
    assert await relay.relay_once() == 0
    assert [e.key for e in bus.published] == ["a", "b"]  # once each


async def test_running_relay_retries_after_an_outage(db: Database) -> None:
    bus = RecordingBus()
    bus.available = False
    relay = relay_for(db, bus, poll_interval=0.05)
    relay.start()
    try:
        await record(db, "a")
        await eventually(lambda: _failures(relay))
        bus.available = True

        async def sent() -> bool:
            return len(bus.published) == 1

        await eventually(sent)
    finally:
        await relay.stop()
    assert len(bus.published) == 1


async def _failures(relay: OutboxRelay) -> bool:
    return relay.metrics.relay_failures._value.get() > 0


async def test_commit_wakes_the_relay_without_waiting_for_the_poll(db: Database) -> None:
    bus = RecordingBus()
    relay = relay_for(db, bus, poll_interval=30)
    relay.start()
    try:
        await record(db, "prompt")

        async def sent() -> bool:
            return len(bus.published) == 1

        await eventually(sent, within=2)
    finally:
        await relay.stop()


async def test_stop_flushes_what_was_committed(db: Database) -> None:
    bus = RecordingBus()
    relay = relay_for(db, bus, poll_interval=30)
    await record(db, "late")
    await relay.stop()
    assert [e.key for e in bus.published] == ["late"]


async def test_trace_context_travels_with_the_event(db: Database) -> None:
    bus = RecordingBus()
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    token = traceparent_var.set(traceparent)
    try:
        await record(db, "traced")
    finally:
        traceparent_var.reset(token)
    await relay_for(db, bus).relay_once()
    assert bus.published[0].traceparent == traceparent


async def test_purge_removes_only_old_published_rows(db: Database) -> None:
    bus = RecordingBus()
    relay = relay_for(db, bus, retention=timedelta(hours=1))
    await record(db, "old", "recent")
    await relay.relay_once()
    await record(db, "unsent")
    outbox = lab.tables.outbox
    async with db.unit_of_work() as session:
        await session.execute(
            outbox.update()
            .where(outbox.c.partition_key == "old")
            .values(published_at=utcnow() - timedelta(hours=2))
        )
    await relay.purge_published()
    async with db.sessions() as session:
        left = set((await session.execute(sa.select(outbox.c.partition_key))).scalars())
    assert left == {"recent", "unsent"}


async def test_request_publishes_through_the_service_outbox(lab_service: RunningService) -> None:
    response = await lab_service.client.post("/v1/lab/items", json={"name": "bench", "note": "n"})
    assert response.status_code == 201
    assert await outbox_events(lab_service.runtime, lab.ItemRecorded) == [
        lab.ItemRecorded(item_key="bench", seq=response.json()["id"], note="n")
    ]
    bus = lab_service.runtime.bus
    assert isinstance(bus, RecordingBus)

    async def published() -> bool:
        return len(bus.of_type(lab.ItemRecorded)) == 1

    await eventually(published)
    envelope = bus.envelopes(lab.ItemRecorded.event_type)[0]
    assert envelope.traceparent is not None and envelope.key == "bench"


async def test_failed_request_leaves_nothing_in_the_outbox(lab_service: RunningService) -> None:
    await lab_service.client.post("/v1/lab/items", json={"name": "twice"})
    conflict = await lab_service.client.post("/v1/lab/items", json={"name": "twice"})
    assert conflict.status_code == 409
    assert len(await outbox_events(lab_service.runtime, lab.ItemRecorded)) == 1


async def test_commits_do_not_wake_a_relay_out_of_its_backoff(db: Database) -> None:
    """Fault 4: with the bus down every commit woke the relay for another attempt (376 in 5 s)."""
    bus = RecordingBus()
    bus.available = False
    relay = relay_for(db, bus, poll_interval=0.5)
    relay.start()
    try:
        await record(db, "first")
        await eventually(lambda: _failures(relay))
        started = time.monotonic()
        for i in range(30):  # a stream of commits, each waking the relay
            await record(db, f"k{i}")
        elapsed = time.monotonic() - started
        failures = relay.metrics.relay_failures._value.get()
    finally:
        await relay.stop()
    retries_due = sum(1 for ends in (1, 3, 7, 15, 25, 35) if ends <= elapsed)  # backoff 1, 2, 4, 8, 10 s
    assert failures <= 2 + retries_due  # the first failure, then only what the backoff allows
    assert await relay.backlog() == 31
