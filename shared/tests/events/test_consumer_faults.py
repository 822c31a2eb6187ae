"""Issue 8's consumer faults, each reproduced on real PostgreSQL and the Tansu broker."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from hues_eventlab import app as lab
from hues_eventlab import pipeline
from hues_eventlab.waiting import eventually
from sqlalchemy.engine import make_url

from hues_shared.db import Database
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.infrastructure import TansuBroker, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.timeout(120)]


def item(key: str, seq: int = 1, note: str = ""):  # type: ignore[no-untyped-def]
    return envelope_for(lab.ItemRecorded(item_key=key, seq=seq, note=note), source="/hues/lab-service")


async def test_oversized_cloudevents_attributes_are_dead_lettered_raw_and_the_stream_moves_on(
    lab_db: Database, fresh_broker: TansuBroker
) -> None:
    """Fault 7: an id longer than the inbox column made even the dead-letter insert fail, for ever."""
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    await bus.ensure_topics(["lab.item"])
    oversized = item("big")
    message = type(oversized)(**{**oversized.__dict__, "id": "x" * 300, "key": "k" * 300}).to_kafka()
    producer = AIOKafkaProducer(bootstrap_servers=fresh_broker.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(
            "lab.item", value=message.value, key=b"big", headers=list(message.headers.items())
        )
    finally:
        await producer.stop()
    await bus.publish([item("big", seq=2)])  # same partition, after it
    consumer = pipeline.consumer(lab_db, bus, group="oversized")
    consumer.start()
    try:

        async def settled() -> bool:
            return await lab.effects(lab_db) == (1, 1, 1)

        await eventually(settled, within=40)
    finally:
        await consumer.stop()
        await bus.stop()
    async with lab_db.sessions() as session:
        row = (await session.execute(sa.select(lab.tables.dead_letters))).one()
    assert row.event_type == "unreadable" and "too long" in row.error


async def test_a_batch_where_300_of_500_events_fail_never_stalls_the_group(
    lab_db: Database, fresh_broker: TansuBroker
) -> None:
    """Fault 2: the retries' sleeps of one batch outlasted the poll interval; the member left, the commit
    failed and the batch came back for ever, dead-lettering its events again each time."""
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    bus.consumer_max_poll_interval_ms = 10_000
    await bus.ensure_topics(["lab.item"])
    lab.faults.fail("broken", times=10**6)
    await bus.publish([item(f"key-{i % 10}", seq=i, note="broken" if i % 5 < 3 else "") for i in range(500)])
    consumer = pipeline.consumer(lab_db, bus, group="mostly-failing", max_attempts=3, retry_base_seconds=0.02)
    consumer.start()
    try:

        async def settled() -> bool:
            return await lab.effects(lab_db) == (200, 200, 300)

        try:
            await eventually(settled, within=90, interval=0.5)
        except AssertionError as exc:
            raise AssertionError(f"(handled, tallies, dead letters) = {await lab.effects(lab_db)}") from exc
    finally:
        await consumer.stop()
        await bus.stop()
    async with lab_db.sessions() as session:
        dead = list((await session.execute(sa.select(lab.tables.dead_letters.c.event_id))).scalars())
    assert len(dead) == len(set(dead)) == 300


async def test_lock_timeouts_are_retried_without_limit_and_keep_per_key_order(
    lab_db: Database, fresh_broker: TansuBroker, postgres_url: str
) -> None:
    """Fault 3: an operational error lasting longer than the retries dead-lettered the event and the
    stream moved on, so a later replay applied the key's events out of order."""
    async with lab_db.unit_of_work() as session:
        await session.execute(
            sa.text(f'ALTER DATABASE "{make_url(postgres_url).database}" SET lock_timeout = 200')
        )
        await session.execute(lab.tallies.insert().values(item_key="busy", count=0))
    await lab_db.engine.dispose()  # new connections get the lock timeout
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    await bus.ensure_topics(["lab.item"])
    await bus.publish(
        [item("busy", seq=s, note="busy") for s in (1, 2, 3)] + [item(f"other-{i}", seq=i) for i in range(10)]
    )
    consumer = pipeline.consumer(lab_db, bus, group="lock-timeouts", max_attempts=3, retry_base_seconds=0.05)
    holder = Database(lab_db.url, source=lab_db.source, pool_size=1)
    try:
        async with holder.sessions() as session, session.begin():
            await session.execute(
                sa.select(lab.tallies).where(lab.tallies.c.item_key == "busy").with_for_update()
            )
            consumer.start()

            async def retried_past_the_limit() -> bool:
                return lab.faults.attempts["busy"] > 2 * consumer.max_attempts

            await eventually(retried_past_the_limit, within=40)
        # the lock is released: everything is handled, nothing dead-lettered

        async def settled() -> bool:
            return await lab.effects(lab_db) == (13, 13, 0)

        await eventually(settled, within=40)
    finally:
        await consumer.stop()
        await bus.stop()
        await holder.dispose()
    async with lab_db.sessions() as session:
        seqs = list(
            (
                await session.execute(
                    sa.select(lab.handled.c.seq)
                    .where(lab.handled.c.item_key == "busy")
                    .order_by(lab.handled.c.handled_at)
                )
            ).scalars()
        )
    assert seqs == [1, 2, 3]


class CuttableProxy:
    """A TCP proxy in front of PostgreSQL: `cut()` is the database going away for its clients (open
    connections dropped, new ones refused) without stopping the server other tests share."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers.update({writer, upstream_writer})

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def test_database_gone_for_20_seconds_dead_letters_nothing_and_keeps_per_key_order(
    lab_db: Database, fresh_broker: TansuBroker
) -> None:
    """Fault 3, as the issue states it: PostgreSQL away for 20 s under a running consumer."""
    url = make_url(lab_db.url)
    proxy = CuttableProxy(url.port or 5432)
    await proxy.start()
    behind_proxy = Database(
        url.set(port=proxy.port).render_as_string(hide_password=False), source=lab_db.source, pool_size=3
    )
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    await bus.ensure_topics(["lab.item"])
    consumer = pipeline.consumer(behind_proxy, bus, group="outage", max_attempts=3, retry_base_seconds=0.05)
    total = 120

    async def produce() -> None:
        for start in range(0, total, 4):
            await bus.publish([item(f"key-{s % 6}", seq=s) for s in range(start, start + 4)])
            await asyncio.sleep(0.25)

    consumer.start()
    producing = asyncio.create_task(produce())
    try:

        async def some_handled() -> bool:
            return (await lab.effects(lab_db))[0] > 0

        await eventually(some_handled, within=30)
        await proxy.cut()
        await asyncio.sleep(20)  # the outage itself, not a negative proof
        await proxy.start()
        await producing

        async def settled() -> bool:
            return (await lab.effects(lab_db))[0] == total

        await eventually(settled, within=60, interval=0.5)
    finally:
        producing.cancel()
        await consumer.stop()
        await bus.stop()
        await behind_proxy.dispose()
        await proxy.cut()
    assert await lab.effects(lab_db) == (total, total, 0)
    async with lab_db.sessions() as session:
        rows = (
            await session.execute(
                sa.select(lab.handled.c.item_key, lab.handled.c.seq).order_by(lab.handled.c.handled_at)
            )
        ).all()
    for key in {row.item_key for row in rows}:
        seqs = [row.seq for row in rows if row.item_key == key]
        assert seqs == sorted(seqs)
