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
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from hues_shared.context import traceparent_var
from hues_shared.db import Database
from hues_shared.events.bus import EventBus, UnpublishableEvents
from hues_shared.events.contracts import EventContract
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.housekeeping import Retention, purge_expired
from hues_shared.events.set_aside import set_aside
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
    """Add several events (fan-outs, imports); same guarantees as `record_event`.

    The rows are written when the unit of work commits, not now: see `_write_outbox`, which is what
    keeps per-key order equal to commit order.
    """
    source = session.info.get("source", "/hues/unknown")
    envelopes = [envelope_for(event, source=source, subject=subject) for event in events]
    if not envelopes:
        return []
    pending: _PendingOutbox | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = _PendingOutbox()
        sync_session = session.sync_session
        event.listen(sync_session, "before_commit", _write_outbox)
        event.listen(sync_session, "after_rollback", _forget_outbox)
    pending.add(tables, envelopes)
    session.info[OUTBOX_DIRTY] = True
    return envelopes


_PENDING = "hues_outbox_pending"
ORDER_LOCK_NAMESPACE = 0x6F757462  # "outb": two-int advisory locks of the outbox (namespace, hash)
SERVICE_LOCK_NAMESPACE = 0x6F757473  # "outs": the service-wide lock above the per-key ones
MAX_KEY_LOCKS = 64  # a transaction with more distinct keys takes the service-wide lock exclusively


class _PendingOutbox:
    """Events recorded in the current transaction, written just before it commits."""

    def __init__(self) -> None:
        self.by_table: dict[int, tuple[sa.Table, list[EventEnvelope]]] = {}

    def add(self, tables: MessagingTables, envelopes: Sequence[EventEnvelope]) -> None:
        self.by_table.setdefault(id(tables.outbox), (tables.outbox, []))[1].extend(envelopes)

    def take(self) -> list[tuple[sa.Table, list[EventEnvelope]]]:
        taken, self.by_table = list(self.by_table.values()), {}
        return taken


def _lock_hash(text: str) -> int:
    """A signed 32-bit hash (an advisory lock half); a collision only serializes two unrelated keys."""
    value = zlib.crc32(text.encode())
    return value - (1 << 32) if value >= 1 << 31 else value


def _write_outbox(session: Session) -> None:
    """Insert the transaction's events as it commits, after taking its keys' locks (PostgreSQL).

    Per-key order is commit order. An outbox position comes from a sequence when its row is inserted;
    were rows inserted when recorded, two transactions on one aggregate could take positions 10 and 11
    yet commit 11 first, and a relay reading both would publish them against commit order
    (AccountClosed before AccountRegistered; issue 14 item 4). So the rows are inserted here, at commit,
    after the session's pending changes are flushed (every row lock it needs is already held) and after
    a transaction-scoped advisory lock per event key is taken, all in one sorted statement: a second
    writer of a key waits for the first to commit, then takes a higher position. Sorted, all-at-once
    locking cannot deadlock. A transaction with more than MAX_KEY_LOCKS keys (a fan-out) takes the
    service-wide lock exclusively instead of filling PostgreSQL's lock table; ordinary writers hold
    it shared. SQLite runs one writing transaction at a time, so it needs no lock.
    """
    pending: _PendingOutbox | None = session.info.get(_PENDING)
    if pending is None or not pending.by_table:
        return
    session.flush()
    connection = session.connection()
    for outbox, envelopes in pending.take():
        if connection.dialect.name == "postgresql":
            _lock_keys(connection, outbox, envelopes)
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
        # Core execution with bound parameters: far cheaper per event than ORM objects.
        connection.execute(outbox.insert(), rows[0] if len(rows) == 1 else rows)


def _lock_keys(connection: sa.Connection, outbox: sa.Table, envelopes: Sequence[EventEnvelope]) -> None:
    service = _lock_hash(f"{outbox.name}:{envelopes[0].source}")
    keys = sorted({_lock_hash(f"{e.topic}\x00{e.key}") for e in envelopes})
    if len(keys) > MAX_KEY_LOCKS:
        connection.execute(
            sa.text("SELECT pg_advisory_xact_lock(:ns, :service)"),
            {"ns": SERVICE_LOCK_NAMESPACE, "service": service},
        )
        return
    connection.execute(
        sa.text(
            "SELECT pg_advisory_xact_lock_shared(:sns, :service)"
            " UNION ALL SELECT pg_advisory_xact_lock(:ns, k) FROM unnest(CAST(:keys AS integer[])) AS k"
        ),
        {"sns": SERVICE_LOCK_NAMESPACE, "service": service, "ns": ORDER_LOCK_NAMESPACE, "keys": keys},
    )


def _forget_outbox(session: Session) -> None:
    pending: _PendingOutbox | None = session.info.get(_PENDING)
    if pending is not None:
        pending.take()
    session.info.pop(OUTBOX_DIRTY, None)


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
        housekeeping: Retention | None = None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.tables = tables
        self.metrics = metrics
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.retention = retention
        self.housekeeping = housekeeping or Retention()
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

    async def stop(self, *, grace: float = 10.0) -> None:
        """Finish the batch in flight (bounded: an unconfirmed batch simply stays in the outbox), flush
        once more if the bus allows, then end."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            done, _ = await asyncio.wait({self._task}, timeout=grace)
            if not done:
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
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
                    await purge_expired(self.db, self.tables, self.housekeeping)
                    last_purge = utcnow()
            except Exception as exc:
                self.metrics.relay_failures.inc()
                backoff = min(backoff * 2, 10.0)
                logger.warning(
                    "outbox relay failed; events stay in the outbox",
                    extra={"error": repr(exc), "retry_in": backoff},
                )
                # Fault 4: after a failure the backoff holds; commits meanwhile must not wake the relay
                # into another attempt (with the bus down, each would build a new client and fail).
                await self._sleep_unless_stopping(backoff)
                self._wake.clear()
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)

    async def _sleep_unless_stopping(self, seconds: float) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not self._stopping and (left := deadline - asyncio.get_running_loop().time()) > 0:
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=left)

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
            refused: dict[str, str] = {}
            try:
                await self.bus.publish(envelopes)
            except UnpublishableEvents as exc:  # the others were published; these never will be
                refused = exc.refused
                await set_aside(session, self.tables, [r for r in rows if r.event_id in refused], refused)
                self.metrics.outbox_set_aside.inc(len(refused))
            await session.execute(
                outbox.update()
                .where(outbox.c.position.in_([row.position for row in rows]))
                .values(published_at=utcnow())
            )
        for envelope in envelopes:
            if envelope.id not in refused:
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
