"""Transactional outbox: events are rows written with the state change; a relay publishes them.

At-least-once: a row is marked published only after the bus acknowledged it, so a crash between
commit and publish, or a broker outage, leaves it to be sent later. On PostgreSQL an advisory lock
lets only one relay of a service publish at a time, so several replicas keep per-key order and do
not race; the consumers' inbox absorbs the duplicates a crash can still cause.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.context import traceparent_var
from hues_shared.db import Database
from hues_shared.events.bus import EventBus
from hues_shared.events.contracts import EventContract
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.tables import MessagingTables
from hues_shared.metrics import ServiceMetrics
from hues_shared.types import utcnow

logger = logging.getLogger(__name__)
OUTBOX_DIRTY = "hues_outbox_dirty"


def envelope_for(event: EventContract, *, source: str, subject: str | None = None) -> EventEnvelope:
    return EventEnvelope(
        type=event.event_type,
        source=source,
        topic=event.topic,
        key=event.partition_key(),
        data=event.model_dump(mode="json"),
        subject=subject,
        traceparent=traceparent_var.get(),
    )


async def record_event(
    session: AsyncSession, tables: MessagingTables, event: EventContract, *, subject: str | None = None
) -> EventEnvelope:
    """Add an event to the outbox inside the caller's unit of work; it is sent only if that commits."""
    return (await record_events(session, tables, [event], subject=subject))[0]


async def record_events(
    session: AsyncSession,
    tables: MessagingTables,
    events: Sequence[EventContract],
    *,
    subject: str | None = None,
) -> list[EventEnvelope]:
    """Add several events in one statement (fan-outs, imports); same guarantees as `record_event`."""
    source = session.info.get("source", "/hues/unknown")
    envelopes = [envelope_for(event, source=source, subject=subject) for event in events]
    if not envelopes:
        return []
    # Core execution on the session's own connection (same transaction): a cached statement with
    # bound parameters costs far less per event than building `.values(...)` through the ORM session.
    connection = await session.connection()
    rows = [
        {
            "event_id": envelope.id,
            "topic": envelope.topic,
            "partition_key": envelope.key,
            "event_type": envelope.type,
            "source": envelope.source,
            "subject": envelope.subject,
            "occurred_at": envelope.time,
            "payload": envelope.data,
            "traceparent": envelope.traceparent,
        }
        for envelope in envelopes
    ]
    await connection.execute(tables.outbox.insert(), rows[0] if len(rows) == 1 else rows)
    session.info[OUTBOX_DIRTY] = True
    return envelopes


class OutboxRelay:
    """Publishes unpublished outbox rows in order, in batches, waking on commit or every poll interval."""

    def __init__(
        self,
        *,
        db: Database,
        bus: EventBus,
        tables: MessagingTables,
        metrics: ServiceMetrics,
        batch_size: int = 500,
        poll_interval: float = 0.5,
        retention: timedelta = timedelta(hours=72),
    ) -> None:
        self.db = db
        self.bus = bus
        self.tables = tables
        self.metrics = metrics
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.retention = retention
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._lock_key = zlib.crc32(f"outbox:{db.source}".encode())
        db.after_commit(self._on_commit)

    def _on_commit(self, session: AsyncSession) -> None:
        if session.info.pop(OUTBOX_DIRTY, False):
            self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"outbox-relay:{self.db.source}")

    async def stop(self) -> None:
        """Finish the batch in flight, flush once more if the bus allows, then end."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.relay_once(), timeout=2.0)

    async def run(self) -> None:
        backoff = self.poll_interval
        last_purge = utcnow()
        while not self._stopping:
            try:
                sent = await self.relay_once()
                backoff = self.poll_interval
                if sent >= self.batch_size:
                    continue
                if utcnow() - last_purge > timedelta(minutes=10):
                    await self.purge_published()
                    last_purge = utcnow()
            except Exception as exc:
                self.metrics.relay_failures.inc()
                logger.warning("outbox relay failed; events stay in the outbox", extra={"error": repr(exc)})
                backoff = min(backoff * 2, 10.0)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)

    async def relay_once(self) -> int:
        """Publish one batch; returns how many rows were sent (0 when another replica holds the lock)."""
        outbox = self.tables.outbox
        async with self.db.sessions() as session, session.begin():
            if self.db.dialect == "postgresql":
                got_lock = await session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(self._lock_key)))
                if not got_lock:
                    return 0
            rows = (
                await session.execute(
                    sa.select(outbox)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.position)
                    .limit(self.batch_size)
                )
            ).all()
            if not rows:
                self.metrics.outbox_backlog.set(0)
                return 0
            envelopes = [
                EventEnvelope(
                    id=row.event_id,
                    type=row.event_type,
                    source=row.source,
                    topic=row.topic,
                    key=row.partition_key,
                    data=row.payload,
                    time=row.occurred_at,
                    subject=row.subject,
                    traceparent=row.traceparent,
                )
                for row in rows
            ]
            await self.bus.publish(envelopes)
            await session.execute(
                outbox.update()
                .where(outbox.c.position.in_([row.position for row in rows]))
                .values(published_at=utcnow())
            )
        for envelope in envelopes:
            self.metrics.events_published.labels(envelope.topic).inc()
        return len(envelopes)

    async def backlog(self) -> int:
        outbox = self.tables.outbox
        async with self.db.sessions() as session:
            count = await session.scalar(
                sa.select(sa.func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
        self.metrics.outbox_backlog.set(count or 0)
        return int(count or 0)

    async def purge_published(self) -> None:
        """Published rows are kept for a while for operators, then deleted so the table stays small."""
        outbox = self.tables.outbox
        async with self.db.unit_of_work() as session:
            await session.execute(
                outbox.delete().where(
                    outbox.c.published_at.is_not(None), outbox.c.published_at < utcnow() - self.retention
                )
            )
