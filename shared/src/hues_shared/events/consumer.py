"""Consumers: one group per service, inbox for idempotency, retry with backoff, then dead letters.

A batch is handled in one transaction (inbox rows + the handlers' writes) and its offsets are
committed only after that transaction commits. Operational failures (the database away, a lock or
serialization conflict) are retried without limit, by pausing the partition, never by sleeping in
the poll loop; an event whose handler keeps failing is stored as a dead letter (and copied to the
group's dead-letter topic) so the stream moves on and an operator can replay it later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.context import traceparent_var
from hues_shared.db import Database
from hues_shared.events.bus import Delivery, EventBus, Subscription
from hues_shared.events.contracts import EventContract, contract_for
from hues_shared.events.dead_lettering import DeadLettering, dead_letter_topic
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.handling import (  # re-exported: services import them from here
    BatchContext,
    EventContext,
    EventHandlers,
    Handler,
    PermanentEventError,
)
from hues_shared.events.retrying import InPlaceRetries, Retrying, by_partition, insert_ignoring_duplicates
from hues_shared.events.tables import MessagingTables
from hues_shared.events.transient import is_transient
from hues_shared.metrics import ServiceMetrics
from hues_shared.types import utcnow

logger = logging.getLogger(__name__)
__all__ = [
    "BatchContext",
    "EventConsumer",
    "EventContext",
    "EventHandlers",
    "Handler",
    "PermanentEventError",
    "dead_letter_topic",
]


class EventConsumer(DeadLettering):
    def __init__(
        self,
        *,
        group: str,
        bus: EventBus,
        db: Database,
        tables: MessagingTables,
        handlers: EventHandlers,
        metrics: ServiceMetrics,
        batch_size: int = 500,
        max_attempts: int = 5,
        retry_base_seconds: float = 0.2,
        max_backoff_seconds: float = 5.0,
        inline_retry_budget_seconds: float = 2.0,
    ) -> None:
        self.group = group
        self.bus = bus
        self.db = db
        self.tables = tables
        self.handlers = handlers
        self.metrics = metrics
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self._attempts: dict[str, int] = {}  # event id -> failed single tries (handler errors only)
        self._transient_streak = 0
        self._batch_started = 0.0
        self.inline_retry_budget_seconds = inline_retry_budget_seconds
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._joined = False
        self.started = asyncio.Event()

    def declare(self) -> None:
        """Make the group known to the bus before any relay runs (the app factory calls this).

        The in-memory bus then keeps a start-up backlog for the group and counts an event as delivered
        only once the group committed it; for Kafka it only prepares the subscription (no I/O).
        """
        if self._subscription is None:
            self._subscription = self.bus.subscribe(group=self.group, topics=self.handlers.topics)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"consumer:{self.group}")

    async def stop(self) -> None:
        """Let the batch in flight finish (its offsets get committed), then leave the group."""
        self._stopping = True
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout=10)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        if self._subscription is not None:
            await self._subscription.stop()

    async def run(self) -> None:
        backoff = 0.5
        while not self._stopping:
            try:
                if not self._joined:
                    self.declare()
                    assert self._subscription is not None
                    await self._subscription.start()
                    self._joined = True
                    self.started.set()
                assert self._subscription is not None
                deliveries = await self._subscription.fetch(max_records=self.batch_size, timeout=0.5)
                if deliveries:
                    await self.process(deliveries, self._subscription)
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning(
                    "consumer loop error; retrying",
                    extra={"group": self.group, "error": repr(exc)},
                    exc_info=True,
                )
                if self._subscription is not None:
                    with contextlib.suppress(Exception):
                        await self._subscription.stop()
                    self._subscription = None
                self._joined = False
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def process(self, deliveries: Sequence[Delivery], subscription: Subscription | None = None) -> None:
        """Handle a fetched batch (see `_process`); without a subscription, waiting events are retried
        in place after their backoff (tests and tools call it so)."""
        if subscription is not None:
            await self._process(deliveries, subscription)
            return
        retries = InPlaceRetries()
        await self._process(deliveries, retries)
        while retries.pending:
            batch, delay = retries.pending.pop(0)
            await asyncio.sleep(delay)
            await self._process(batch, retries)

    async def _process(self, deliveries: Sequence[Delivery], subscription: Retrying) -> None:
        """Handle a fetched batch; commit on `subscription` what is done, hand back what must wait.

        The batch is tried in one transaction. If that fails on an operational error (database down,
        lock or serialization conflict; `is_transient`) the whole batch waits and comes back later,
        without limit and never dead-lettered. If it fails otherwise, its events are handled one by
        one, in order per partition, and offsets are committed as that progresses (fault 2). An event
        that fails on an operational error, or fails fewer than `max_attempts` times, stops its
        partition, which is rewound to it and paused for the backoff while the other partitions go on;
        nothing here sleeps, so the member stays in its group however many events fail. An event that
        fails `max_attempts` times, raises PermanentEventError or does not match its contract is
        dead-lettered together with its inbox row, so a redelivered batch never dead-letters it twice.
        """
        self._batch_started = asyncio.get_running_loop().time()
        done = [d for d in deliveries if d.envelope is None]
        for broken in done:
            await self._dead_letter_raw(broken)
        handleable = [d for d in deliveries if d.envelope is not None]
        retrying = any(d.envelope is not None and d.envelope.id in self._attempts for d in handleable)
        if len(handleable) > 1 and not retrying:  # a batch that starts with a failing event goes one by one
            try:
                async with self.db.unit_of_work() as session:
                    await self._apply(session, handleable)
                self._transient_streak = 0
                await subscription.commit(deliveries)
                return
            except Exception as exc:
                if is_transient(exc):
                    await subscription.commit(done)
                    await self._wait(subscription, handleable, transient=exc)
                    return
                logger.info(
                    "batch failed; handling one by one", extra={"group": self.group, "error": repr(exc)}
                )
        for partition_deliveries in by_partition(handleable):
            for index, delivery in enumerate(partition_deliveries):
                outcome = await self._handle_alone(delivery)
                while outcome is False and self._may_retry_inline(delivery):
                    await asyncio.sleep(self._handler_backoff(delivery))
                    outcome = await self._handle_alone(delivery)
                if outcome is not None:
                    await self._wait(subscription, partition_deliveries[index:], transient=outcome)
                    break
                done.append(delivery)
                if len(done) >= 50:
                    await subscription.commit(done)
                    done = []
        if done:
            await subscription.commit(done)

    async def _handle_alone(self, delivery: Delivery) -> Exception | bool | None:
        """Handle one event in its own transaction. None: done (handled or dead-lettered); otherwise it
        must wait: the operational error it met, or False after a handler error with tries left."""
        envelope = delivery.envelope
        assert envelope is not None
        try:
            async with self.db.unit_of_work() as session:
                await self._apply(session, [delivery])
        except PermanentEventError as exc:
            await self.dead_letter(envelope, error=repr(exc), attempts=self._attempts.pop(envelope.id, 0) + 1)
            return None
        except Exception as exc:
            if is_transient(exc):
                return exc
            if self._stopping:
                raise  # shutting down: leave the offset uncommitted so it is redelivered
            attempts = self._attempts[envelope.id] = self._attempts.get(envelope.id, 0) + 1
            logger.info(
                "event failed",
                extra={"group": self.group, "event_id": envelope.id, "attempt": attempts, "error": repr(exc)},
            )
            if attempts < self.max_attempts:
                return False
            self._attempts.pop(envelope.id, None)
            await self.dead_letter(envelope, error=repr(exc), attempts=attempts)
            return None
        self._attempts.pop(envelope.id, None)
        self._transient_streak = 0
        return None

    async def _wait(
        self, subscription: Retrying, deliveries: Sequence[Delivery], *, transient: Exception | bool
    ) -> None:
        """Rewind to `deliveries` and pause their partitions for a capped exponential backoff."""
        if isinstance(transient, Exception):
            self._transient_streak += 1
            delay = self.retry_base_seconds * 2 ** (self._transient_streak - 1)
            logger.warning(
                "operational error; the events wait and are retried",
                extra={"group": self.group, "error": repr(transient), "events": len(deliveries)},
            )
            first = deliveries[0].envelope
            self.metrics.events_handled.labels(first.type if first else "", "retried").inc()
        else:
            delay = self._handler_backoff(deliveries[0])
        await subscription.retry_later(deliveries, min(delay, self.max_backoff_seconds))

    def _handler_backoff(self, delivery: Delivery) -> float:
        attempts = self._attempts.get(delivery.envelope.id, 1) if delivery.envelope else 1
        return min(self.retry_base_seconds * 2 ** (attempts - 1), self.max_backoff_seconds)

    def _may_retry_inline(self, delivery: Delivery) -> bool:
        """Short backoffs are slept here while the batch stays within its time budget (far below any
        poll interval); past it, the partition is rewound and paused instead."""
        elapsed = asyncio.get_running_loop().time() - self._batch_started
        return elapsed + self._handler_backoff(delivery) <= self.inline_retry_budget_seconds

    async def _apply(self, session: AsyncSession, deliveries: Sequence[Delivery]) -> None:
        """The handlers' writes and the inbox rows of the events they handled, in one transaction."""
        now = utcnow()
        wanted: dict[str, EventEnvelope] = {}
        for delivery in deliveries:
            envelope = delivery.envelope
            assert envelope is not None
            if self.handlers.handles(envelope.type):
                wanted.setdefault(envelope.id, envelope)
            elif contract_for(envelope.type) is None:
                # Fault 6: a type no contract declares (a newer version than this code knows, a typo)
                # is counted and logged, and not recorded as handled, so replaying it later still works.
                self.metrics.events_handled.labels(envelope.type, "unknown_type").inc()
                logger.warning(
                    "event of an unknown type skipped",
                    extra={"group": self.group, "event_id": envelope.id, "event_type": envelope.type},
                )
        if not wanted:
            return
        # One INSERT … ON CONFLICT DO NOTHING RETURNING: the ids it returns are the fresh events.
        connection = await session.connection()
        inserted = await connection.execute(
            insert_ignoring_duplicates(self.tables.inbox, connection.dialect.name).returning(
                self.tables.inbox.c.event_id
            ),
            [
                {"event_id": e.id, "consumer": self.group, "event_type": e.type, "processed_at": now}
                for e in wanted.values()
            ],
        )
        fresh = set(inserted.scalars())
        run: list[EventEnvelope] = []  # consecutive events of one batch-handled type
        for envelope in wanted.values():
            if envelope.id not in fresh:
                self.metrics.events_handled.labels(envelope.type, "duplicate").inc()
                continue
            if run and run[0].type != envelope.type:
                await self._handle_run(session, run, now)
                run = []
            if self.handlers.batch_handler_for(envelope.type) is not None:
                run.append(envelope)
                continue
            registered = self.handlers.handler_for(envelope.type)
            assert registered is not None
            contract_cls, handler = registered
            event = _decode(contract_cls, envelope)
            token = traceparent_var.set(envelope.traceparent)
            try:
                await handler(event, EventContext(session=session, envelope=envelope, tables=self.tables))
            finally:
                traceparent_var.reset(token)
            self._handled(envelope, now)
        if run:
            await self._handle_run(session, run, now)

    async def _handle_run(self, session: AsyncSession, run: list[EventEnvelope], now: datetime) -> None:
        registered = self.handlers.batch_handler_for(run[0].type)
        assert registered is not None
        contract_cls, handler = registered
        events = [_decode(contract_cls, envelope) for envelope in run]
        await handler(events, BatchContext(session=session, envelopes=run, tables=self.tables))
        for envelope in run:
            self._handled(envelope, now)

    def _handled(self, envelope: EventEnvelope, now: datetime) -> None:
        self.metrics.events_handled.labels(envelope.type, "handled").inc()
        self.metrics.event_lag.observe(max((now - envelope.time).total_seconds(), 0.0))


def _decode(contract_cls: type[EventContract], envelope: EventEnvelope) -> EventContract:
    try:
        return contract_cls.model_validate(envelope.data)
    except Exception as exc:
        raise PermanentEventError(f"payload does not match {contract_cls.__name__}: {exc}") from exc
