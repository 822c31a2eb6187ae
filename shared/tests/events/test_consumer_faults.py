"""Issue 8's consumer faults, each reproduced on real PostgreSQL and the Tansu broker."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from hues_eventlab import app as lab
from hues_eventlab import pipeline
from hues_eventlab.waiting import eventually

from hues_shared.db import Database
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.infrastructure import TansuBroker

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
