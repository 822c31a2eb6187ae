"""Wiring of the lab's event pipeline outside an app: bus, relay, consumer, and a producer of events."""

from __future__ import annotations

from hues_eventlab import app as lab
from hues_shared.db import Database
from hues_shared.events.bus import EventBus
from hues_shared.events.consumer import EventConsumer
from hues_shared.events.kafka import KafkaBus
from hues_shared.events.outbox import OutboxRelay, record_event
from hues_shared.metrics import ServiceMetrics


def kafka_bus(bootstrap: str, client_id: str = "lab-test", *, partitions: int = 3) -> KafkaBus:
    """Tansu 0.6 refuses aiokafka's idempotent producer, so it is off against it (on for real Kafka)."""
    return KafkaBus(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        idempotent_producer=False,
        partitions=partitions,
        consumer_session_timeout_ms=6_000,  # joins (Tansu waits half of it) and evictions come sooner
    )


def relay(db: Database, bus: EventBus, **kwargs: object) -> OutboxRelay:
    return OutboxRelay(db=db, bus=bus, tables=lab.tables, metrics=ServiceMetrics(lab.SERVICE), **kwargs)  # type: ignore[arg-type]


def consumer(db: Database, bus: EventBus, *, group: str = lab.SERVICE, **kwargs: object) -> EventConsumer:
    return EventConsumer(
        group=group,
        bus=bus,
        db=db,
        tables=lab.tables,
        handlers=lab.handlers,
        metrics=ServiceMetrics(lab.SERVICE),
        **kwargs,  # type: ignore[arg-type]
    )


async def record_items(
    db: Database, *, start: int, count: int, keys: int = 5, per_transaction: int = 10
) -> None:
    """Commit `count` events (seq start..start+count-1) over `keys` aggregates, a few per transaction."""
    for first in range(start, start + count, per_transaction):
        async with db.unit_of_work() as session:
            for seq in range(first, min(first + per_transaction, start + count)):
                event = lab.ItemRecorded(item_key=f"key-{seq % keys}", seq=seq)
                await record_event(session, lab.tables, event)
