"""Consumers: one group per service, inbox for idempotency, retry with backoff, then dead letters.

A batch is handled in one transaction (inbox rows + the handlers' writes) and its offsets are
committed only after that transaction commits. If the batch fails, its events are retried one by
one with backoff; an event that keeps failing is stored as a dead letter (and copied to the
group's dead-letter topic) so the stream moves on and an operator can replay it later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.context import traceparent_var
from hues_shared.db import Database
from hues_shared.events.bus import Delivery, EventBus, Subscription
from hues_shared.events.contracts import EventContract, contract_for
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.tables import MessagingTables
from hues_shared.metrics import ServiceMetrics
from hues_shared.types import utcnow

logger = logging.getLogger(__name__)
C = TypeVar("C", bound=EventContract)


@dataclass(frozen=True)
class EventContext:
    """What a handler gets besides the event: the unit of work's session and the envelope."""

    session: AsyncSession
    envelope: EventEnvelope
    tables: MessagingTables


Handler = Callable[[Any, EventContext], Awaitable[None]]


class EventHandlers:
    """A service's subscriptions, declared in one place (its events/handlers.py)."""

    def __init__(self) -> None:
        self._by_type: dict[str, tuple[type[EventContract], Handler]] = {}

    def on(self, contract_cls: type[C]) -> Callable[[Callable[[C, EventContext], Awaitable[None]]], Handler]:
        def register(func: Callable[[C, EventContext], Awaitable[None]]) -> Handler:
            if contract_cls.event_type in self._by_type:
                raise ValueError(f"{contract_cls.event_type} already has a handler")
            self._by_type[contract_cls.event_type] = (contract_cls, func)
            return func

        return register

    @property
    def topics(self) -> list[str]:
        return sorted({cls.topic for cls, _ in self._by_type.values()})

    @property
    def event_types(self) -> list[str]:
        return sorted(self._by_type)

    def handler_for(self, event_type: str) -> tuple[type[EventContract], Handler] | None:
        return self._by_type.get(event_type)

    def __bool__(self) -> bool:
        return bool(self._by_type)


class PermanentEventError(Exception):
    """A handler raises this when retrying cannot help (the event is dead-lettered at once)."""


def dead_letter_topic(group: str) -> str:
    return f"deadletter.{group}"


class EventConsumer:
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
                    await self.process(deliveries)
                    await self._subscription.commit(deliveries)
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning(
                    "consumer loop error; retrying", extra={"group": self.group, "error": repr(exc)}
                )
                if self._subscription is not None:
                    with contextlib.suppress(Exception):
                        await self._subscription.stop()
                    self._subscription = None
                self._joined = False
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def process(self, deliveries: Sequence[Delivery]) -> None:
        """Handle a batch in one transaction; fall back to one-by-one with retries if it fails."""
        handleable = [d for d in deliveries if d.envelope is not None]
        for broken in (d for d in deliveries if d.envelope is None):
            await self._dead_letter_raw(broken)
        if not handleable:
            return
        try:
            async with self.db.unit_of_work() as session:
                await self._apply(session, handleable)
            return
        except Exception as exc:
            if len(handleable) == 1:
                logger.info("event failed; retrying", extra={"group": self.group, "error": repr(exc)})
            else:
                logger.info(
                    "batch failed; handling one by one", extra={"group": self.group, "error": repr(exc)}
                )
        for delivery in handleable:
            await self._process_with_retry(delivery)

    async def _apply(self, session: AsyncSession, deliveries: Sequence[Delivery]) -> None:
        inbox = self.tables.inbox
        ids = [d.envelope.id for d in deliveries if d.envelope]
        seen = set(
            (
                await session.execute(
                    sa.select(inbox.c.event_id).where(
                        inbox.c.consumer == self.group, inbox.c.event_id.in_(ids)
                    )
                )
            ).scalars()
        )
        fresh: list[EventEnvelope] = []
        for delivery in deliveries:
            envelope = delivery.envelope
            assert envelope is not None
            if envelope.id in seen:
                self.metrics.events_handled.labels(envelope.type, "duplicate").inc()
                continue
            seen.add(envelope.id)
            fresh.append(envelope)
        if not fresh:
            return
        # One multi-row insert for the batch's inbox rows (same transaction as the handlers' writes).
        now = utcnow()
        connection = await session.connection()
        await connection.execute(
            inbox.insert(),
            [
                {"event_id": e.id, "consumer": self.group, "event_type": e.type, "processed_at": now}
                for e in fresh
            ],
        )
        for envelope in fresh:
            registered = self.handlers.handler_for(envelope.type)
            if registered is None:
                continue  # another type on a subscribed topic: recorded in the inbox, nothing to do
            contract_cls, handler = registered
            try:
                event = contract_cls.model_validate(envelope.data)
            except Exception as exc:
                raise PermanentEventError(f"payload does not match {contract_cls.__name__}: {exc}") from exc
            token = traceparent_var.set(envelope.traceparent)
            try:
                await handler(event, EventContext(session=session, envelope=envelope, tables=self.tables))
            finally:
                traceparent_var.reset(token)
            self.metrics.events_handled.labels(envelope.type, "handled").inc()
            self.metrics.event_lag.observe(max((now - envelope.time).total_seconds(), 0.0))

    async def _process_with_retry(self, delivery: Delivery) -> None:
        assert delivery.envelope is not None
        error: Exception | None = None
        attempts = 0
        for attempt in range(1, self.max_attempts + 1):
            attempts = attempt
            try:
                async with self.db.unit_of_work() as session:
                    await self._apply(session, [delivery])
                return
            except PermanentEventError as exc:
                error = exc
                break
            except Exception as exc:
                error = exc
                if attempt < self.max_attempts and not self._stopping:
                    await asyncio.sleep(self.retry_base_seconds * (2 ** (attempt - 1)))
                elif self._stopping:
                    raise  # shutting down: leave the offset uncommitted so it is redelivered
        await self.dead_letter(delivery.envelope, error=repr(error), attempts=attempts)

    async def dead_letter(self, envelope: EventEnvelope, *, error: str, attempts: int) -> None:
        self.metrics.events_handled.labels(envelope.type, "dead_lettered").inc()
        logger.error(
            "event dead-lettered",
            extra={"group": self.group, "event_id": envelope.id, "event_type": envelope.type, "error": error},
        )
        async with self.db.unit_of_work() as session:
            await session.execute(
                self.tables.dead_letters.insert().values(
                    event_id=envelope.id,
                    consumer=self.group,
                    topic=envelope.topic,
                    event_type=envelope.type,
                    partition_key=envelope.key,
                    source=envelope.source,
                    occurred_at=envelope.time,
                    payload=envelope.data,
                    error=error[:4000],
                    attempts=attempts,
                    failed_at=utcnow(),
                )
            )
        dlq_copy = EventEnvelope(
            id=envelope.id,
            type=envelope.type,
            source=envelope.source,
            topic=dead_letter_topic(self.group),
            key=envelope.key,
            data=envelope.data,
            time=envelope.time,
            subject=envelope.subject,
            traceparent=envelope.traceparent,
        )
        try:
            await self.bus.publish([dlq_copy])
        except Exception as exc:  # the table row is the record of truth; the topic copy is for tooling
            logger.warning("could not copy dead letter to its topic", extra={"error": repr(exc)})

    async def _dead_letter_raw(self, delivery: Delivery) -> None:
        position = f":{delivery.partition}:{delivery.offset}"
        envelope = EventEnvelope(
            id=delivery.topic[: 200 - len(position)] + position,  # fits the dead-letter columns
            type="unreadable",
            source="unknown",
            topic=delivery.topic[:200],
            key="",
            data={"raw": repr(delivery.raw)[:4000]},
        )
        await self.dead_letter(envelope, error=delivery.raw_error or "unreadable message", attempts=0)

    async def replay(self, dead_letter_id: int) -> None:
        """Run a dead letter's handler again in a fresh unit of work; mark it replayed on success."""
        dead_letters = self.tables.dead_letters
        async with self.db.unit_of_work() as session:
            row = (
                await session.execute(
                    sa.select(dead_letters).where(
                        dead_letters.c.id == dead_letter_id, dead_letters.c.consumer == self.group
                    )
                )
            ).one_or_none()
            if row is None:
                raise LookupError(dead_letter_id)
            if row.replayed_at is not None:
                return
            envelope = EventEnvelope(
                id=row.event_id,
                type=row.event_type,
                source=row.source,
                topic=row.topic,
                key=row.partition_key,
                data=row.payload,
                time=row.occurred_at,
            )
            if contract_for(envelope.type) is None and self.handlers.handler_for(envelope.type) is None:
                raise PermanentEventError(f"no handler for {envelope.type}")
            await self._apply(session, [Delivery(envelope, row.topic, 0, 0)])
            await session.execute(
                dead_letters.update().where(dead_letters.c.id == dead_letter_id).values(replayed_at=utcnow())
            )
