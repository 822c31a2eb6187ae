"""The backbone on real PostgreSQL and a real Kafka-protocol broker (Tansu): outbox to handler, once."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from hues_eventlab import app as lab
from hues_eventlab import pipeline
from hues_eventlab.waiting import eventually

from hues_shared.db import Database
from hues_shared.events.outbox import OutboxRelay, record_event, record_events
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.infrastructure import TansuBroker

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.timeout(90)]


async def test_outbox_on_postgres_reaches_a_kafka_consumer_exactly_once(
    lab_db: Database, fresh_broker: TansuBroker
) -> None:
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    relay = pipeline.relay(lab_db, bus, poll_interval=0.1)
    consumer = pipeline.consumer(lab_db, bus, batch_size=50)
    await pipeline.record_items(lab_db, start=0, count=200)
    relay.start()
    consumer.start()
    try:

        async def all_handled() -> bool:
            return await lab.effects(lab_db) == (200, 200, 0)

        await eventually(all_handled, within=40)
        assert await relay.backlog() == 0

        # A relay that crashed after publishing but before marking its rows sends them again:
        # the consumer's inbox absorbs the copies.
        async with lab_db.unit_of_work() as session:
            await session.execute(lab.tables.outbox.update().values(published_at=None))
        relay.wake()
        await eventually(lambda: _backlog_is_empty(relay), within=20)
        await asyncio.sleep(1.5)
        assert await lab.effects(lab_db) == (200, 200, 0)
    finally:
        await consumer.stop()
        await relay.stop()
        await bus.stop()


async def _backlog_is_empty(relay: OutboxRelay) -> bool:
    return await relay.backlog() == 0


class SlowRecordingBus(RecordingBus):
    """Publishing takes a while, which widens any window in which two relays could race."""

    async def publish(self, envelopes):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.01)
        await super().publish(envelopes)


async def test_two_relays_on_one_database_send_each_event_once_in_key_order(lab_db: Database) -> None:
    bus = SlowRecordingBus()
    second_db = Database(lab_db.url, source=lab_db.source, pool_size=5)  # another replica's engine
    relays = [pipeline.relay(lab_db, bus, poll_interval=0.02, batch_size=7), pipeline.relay(second_db, bus)]
    relays[1].poll_interval, relays[1].batch_size = 0.02, 7
    for relay in relays:
        relay.start()
    try:
        writers = [
            pipeline.record_items(lab_db, start=i * 100, count=100, per_transaction=3) for i in range(3)
        ]
        await asyncio.gather(*writers)

        async def drained() -> bool:
            return await relays[0].backlog() == 0

        await eventually(drained, within=30)
    finally:
        for relay in relays:
            await relay.stop()
        await second_db.dispose()
    ids = [e.id for e in bus.published]
    assert len(ids) == len(set(ids)) == 300
    # The promise is per-key order (events of one aggregate in the order their transactions committed),
    # not one global order: transactions on different keys may commit in any order. Within a key the
    # outbox position is taken under the key's lock, so position order is commit order.
    async with lab_db.sessions() as session:
        rows = (
            await session.execute(
                sa.select(lab.tables.outbox.c.event_id, lab.tables.outbox.c.partition_key).order_by(
                    "position"
                )
            )
        ).all()
    for key in {row.partition_key for row in rows}:
        in_outbox = [row.event_id for row in rows if row.partition_key == key]
        assert [e.id for e in bus.published if e.key == key] == in_outbox


async def test_a_transaction_that_commits_later_on_the_same_key_is_published_later(lab_db: Database) -> None:
    """The flake of issue 14 item 4: positions were taken when an event was recorded, so a transaction
    could take a lower position yet commit after a later one on the same aggregate, and a relay reading
    both published them against commit order (AccountClosed before AccountRegistered). Rows are now
    written at commit under the key's lock, so publication follows commit order whatever the timing."""
    bus = RecordingBus()
    relay = pipeline.relay(lab_db, bus)
    commits: list[str] = []
    recorded = {"first": asyncio.Event(), "second": asyncio.Event()}
    release_first = asyncio.Event()

    async def write(note: str, hold: asyncio.Event | None) -> None:
        async with lab_db.unit_of_work() as session:
            await record_event(session, lab.tables, lab.ItemRecorded(item_key="same", seq=0, note=note))
            recorded[note].set()
            if hold is not None:
                await hold.wait()
        commits.append(note)

    first = asyncio.create_task(write("first", release_first))
    await recorded["first"].wait()  # "first" recorded its event first but has not committed
    second = asyncio.create_task(write("second", None))

    async def second_committed_or_waiting() -> bool:
        return second.done() or await _waiting_advisory_locks(lab_db) > 0

    await eventually(second_committed_or_waiting, within=10)
    release_first.set()
    await asyncio.gather(first, second)
    while await relay.relay_once():
        pass
    assert [e.data["note"] for e in bus.published] == commits


async def test_a_fan_out_over_many_keys_is_written_and_published_in_order(lab_db: Database) -> None:
    bus = RecordingBus()
    async with lab_db.unit_of_work() as session:
        await record_events(
            session, lab.tables, [lab.ItemRecorded(item_key=f"fan-{i}", seq=i) for i in range(200)]
        )
    await pipeline.record_items(lab_db, start=200, count=5)
    relay = pipeline.relay(lab_db, bus)
    while await relay.relay_once():
        pass
    assert [e.data["seq"] for e in bus.published] == list(range(205))


async def _waiting_advisory_locks(db: Database) -> int:
    async with db.sessions() as session:
        waiting = await session.scalar(
            sa.text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
    return int(waiting or 0)


async def test_relay_yields_while_another_replica_holds_the_lock(lab_db: Database) -> None:
    bus = RecordingBus()
    relay = pipeline.relay(lab_db, bus)
    await pipeline.record_items(lab_db, start=0, count=3)
    async with lab_db.sessions() as session, session.begin():
        await session.execute(sa.select(sa.func.pg_advisory_xact_lock(relay._lock_key)))
        assert await relay.relay_once() == 0
    assert await relay.relay_once() == 3
    assert len(bus.published) == 3


async def test_kafka_bus_round_trip_keeps_attributes_keys_and_partitions(fresh_broker: TansuBroker) -> None:
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    envelopes = [
        pipeline_envelope(key=f"agg-{k}", seq=s) for s in range(10) for k in range(4)
    ]  # interleaved keys
    await bus.ensure_topics(["lab.item"])
    await bus.publish(envelopes)
    subscription = bus.subscribe(group="round-trip", topics=["lab.item"])
    await subscription.start()
    try:
        received = []
        for _ in range(40):
            received += await subscription.fetch(max_records=100, timeout=1.0)
            if len(received) >= len(envelopes):
                break
    finally:
        await subscription.stop()
        await bus.stop()
    assert sorted(d.envelope.id for d in received if d.envelope) == sorted(e.id for e in envelopes)
    by_id = {e.id: e for e in envelopes}
    partitions: dict[str, set[int]] = {}
    for delivery in received:
        assert delivery.envelope is not None
        assert delivery.envelope == by_id[delivery.envelope.id]  # id, type, source, time, key, data, trace
        partitions.setdefault(delivery.envelope.key, set()).add(delivery.partition)
    assert all(len(p) == 1 for p in partitions.values())  # one key, one partition
    assert len(set().union(*partitions.values())) > 1  # keys spread over the partitions
    for key in partitions:
        seqs = [d.envelope.data["seq"] for d in received if d.envelope and d.envelope.key == key]
        assert seqs == sorted(seqs)  # per-key order


def pipeline_envelope(*, key: str, seq: int):  # type: ignore[no-untyped-def]
    from hues_shared.events.outbox import envelope_for

    envelope = envelope_for(lab.ItemRecorded(item_key=key, seq=seq), source="/hues/lab-service", subject=key)
    return envelope


async def test_uncommitted_offsets_are_redelivered_to_the_group(fresh_broker: TansuBroker) -> None:
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    await bus.ensure_topics(["lab.item"])
    await bus.publish([pipeline_envelope(key="a", seq=i) for i in range(5)])

    async def fetch_all() -> list:  # type: ignore[type-arg]
        subscription = bus.subscribe(group="commit-test", topics=["lab.item"])
        await subscription.start()
        got = []
        try:
            for _ in range(10):
                got += await subscription.fetch(max_records=100, timeout=0.5)
                if len(got) >= 5:
                    break
            return got, subscription  # type: ignore[return-value]
        except BaseException:
            await subscription.stop()
            raise

    first, subscription = await fetch_all()  # type: ignore[misc]
    await subscription.stop()  # left without committing: as if the handler's transaction failed
    second, subscription = await fetch_all()  # type: ignore[misc]
    assert [d.offset for d in second] == [d.offset for d in first]
    await subscription.commit(second)
    await subscription.stop()
    third = bus.subscribe(group="commit-test", topics=["lab.item"])
    await third.start()
    try:
        assert await third.fetch(max_records=100, timeout=1.0) == []
    finally:
        await third.stop()
        await bus.stop()


async def test_consumer_commits_offsets_only_after_its_transaction(
    lab_db: Database, fresh_broker: TansuBroker
) -> None:
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    await bus.ensure_topics(["lab.item"])
    entered, gate = lab.faults.gate("held")
    event = pipeline_envelope(key="k", seq=1)
    held = type(event)(**{**event.__dict__, "data": {**event.data, "note": "held"}})
    await bus.publish([held])
    consumer = pipeline.consumer(lab_db, bus, group="commit-after-tx")
    consumer.start()
    try:
        await asyncio.wait_for(entered.wait(), timeout=30)
        subscription = consumer._subscription
        assert subscription is not None and subscription._consumer is not None  # type: ignore[attr-defined]
        kafka_consumer = subscription._consumer  # type: ignore[attr-defined]
        partitions = list(kafka_consumer.assignment())
        committed = [await kafka_consumer.committed(tp) for tp in partitions]
        assert all(c is None or c == 0 for c in committed)  # nothing committed while the handler runs
        assert await lab.effects(lab_db) == (0, 0, 0)
        gate.set()

        async def committed_past_it() -> bool:
            offsets = [await kafka_consumer.committed(tp) for tp in partitions]
            return any(o == 1 for o in offsets)

        await eventually(committed_past_it, within=10)
        assert await lab.effects(lab_db) == (1, 1, 0)
    finally:
        gate.set()
        await consumer.stop()
        await bus.stop()


async def test_unreadable_message_is_dead_lettered(lab_db: Database, fresh_broker: TansuBroker) -> None:
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    await bus.ensure_topics(["lab.item"])
    producer = AIOKafkaProducer(bootstrap_servers=fresh_broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait("lab.item", value=b"\x00not a cloudevent", key=b"x")
    finally:
        await producer.stop()
    await bus.publish([pipeline_envelope(key="after", seq=1)])
    consumer = pipeline.consumer(lab_db, bus, group="unreadable")
    consumer.start()
    try:

        async def settled() -> bool:
            return await lab.effects(lab_db) == (1, 1, 1)

        await eventually(settled, within=30)
    finally:
        await consumer.stop()
        await bus.stop()
    async with lab_db.sessions() as session:
        row = (await session.execute(sa.select(lab.tables.dead_letters))).one()
    assert row.event_type == "unreadable" and row.event_id.startswith("lab.item:")


async def test_an_unpublishable_event_is_set_aside_and_the_rest_of_the_outbox_flows(
    lab_db: Database, fresh_broker: TansuBroker
) -> None:
    """Fault 5: one row over the size limit blocked the whole outbox for ever."""
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    relay = pipeline.relay(lab_db, bus)
    async with lab_db.unit_of_work() as session:
        await record_event(
            session, lab.tables, lab.ItemRecorded(item_key="huge", seq=1, note="x" * 2_000_000)
        )
    await pipeline.record_items(lab_db, start=10, count=3)
    try:
        for _ in range(3):
            try:
                await relay.relay_once()
            except Exception:
                continue
        assert await relay.backlog() == 0
        assert relay.metrics.outbox_set_aside._value.get() == 1
    finally:
        await bus.stop()
    async with lab_db.sessions() as session:
        row = (await session.execute(sa.select(lab.tables.dead_letters))).one()
    assert (row.consumer, row.partition_key) == ("outbox", "huge")
    assert "MessageSizeTooLarge" in row.error
