"""The benchmark's own tiny service: an event contract, its tables, and the handler the consumer runs."""

from __future__ import annotations

import sqlalchemy as sa

from hues_shared.events.consumer import BatchContext, EventHandlers
from hues_shared.events.contracts import EventContract, contract
from hues_shared.events.kafka import KafkaBus
from hues_shared.events.tables import messaging_tables
from hues_shared.types import UtcDateTime, utcnow

metadata = sa.MetaData()
tables = messaging_tables(metadata)
handled = sa.Table(
    "bench_handled",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("order_id", sa.String(64), nullable=False),
    sa.Column("handled_at", UtcDateTime(), nullable=False),
)
HANDLED_IDS = "bench_handled_ids"


@contract(type="hues.bench.order.placed", topic="bench.order", key="order_id", producer="bench")
class OrderPlaced(EventContract):
    """A benchmark event with a payload the size of a typical domain event."""

    order_id: str
    seq: int
    note: str


handlers = EventHandlers()


@handlers.on_batch(OrderPlaced)
async def record_orders(events: list[OrderPlaced], ctx: BatchContext) -> None:
    """A realistic handler: one multi-row insert per batch in the unit of work; ids reported after commit."""
    now = utcnow()
    connection = await ctx.session.connection()  # Core on the unit of work's connection
    await connection.execute(
        handled.insert(),
        [
            {"event_id": envelope.id, "order_id": event.order_id, "handled_at": now}
            for event, envelope in zip(events, ctx.envelopes, strict=True)
        ],
    )
    ctx.session.info.setdefault(HANDLED_IDS, []).extend(envelope.id for envelope in ctx.envelopes)


def kafka_bus(bootstrap: str, client_id: str) -> KafkaBus:
    return KafkaBus(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        idempotent_producer=False,  # Tansu 0.6 refuses it
        partitions=6,
        consumer_session_timeout_ms=6_000,
    )
