"""Dead letters of a consumer: stored once with their inbox row, copied to the group's topic, replayed."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.db import Database
from hues_shared.events.bus import Delivery, EventBus
from hues_shared.events.contracts import contract_for
from hues_shared.events.envelope import ATTRIBUTE_LIMITS, EventEnvelope
from hues_shared.events.handling import EventHandlers, PermanentEventError
from hues_shared.events.retrying import insert_ignoring_duplicates
from hues_shared.events.tables import MessagingTables
from hues_shared.metrics import ServiceMetrics
from hues_shared.types import utcnow

logger = logging.getLogger("hues_shared.events.consumer")


def dead_letter_topic(group: str) -> str:
    return f"deadletter.{group}"


class DeadLettering:
    """The dead-letter half of EventConsumer (which provides these attributes and `_apply`)."""

    group: str
    bus: EventBus
    db: Database
    tables: MessagingTables
    handlers: EventHandlers
    metrics: ServiceMetrics

    async def _apply(self, session: AsyncSession, deliveries: Sequence[Delivery]) -> None:
        raise NotImplementedError

    async def dead_letter(self, envelope: EventEnvelope, *, error: str, attempts: int) -> None:
        """Store the event as a dead letter with its inbox row (once: a redelivery finds the inbox row)."""
        async with self.db.unit_of_work() as session:
            connection = await session.connection()
            if len(envelope.id) <= ATTRIBUTE_LIMITS["id"]:
                first_time = await connection.execute(
                    insert_ignoring_duplicates(self.tables.inbox, connection.dialect.name).values(
                        event_id=envelope.id,
                        consumer=self.group,
                        event_type=envelope.type,
                        processed_at=utcnow(),
                    )
                )
                if first_time.rowcount == 0:
                    return  # handled or dead-lettered before this delivery
            else:  # a raw message's synthetic id: its dead-letter row is its record
                dead_letters = self.tables.dead_letters
                exists = await session.scalar(
                    sa.select(dead_letters.c.id).where(
                        dead_letters.c.event_id == envelope.id, dead_letters.c.consumer == self.group
                    )
                )
                if exists is not None:
                    return
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
        self.metrics.events_handled.labels(envelope.type, "dead_lettered").inc()
        logger.error(
            "event dead-lettered",
            extra={"group": self.group, "event_id": envelope.id, "event_type": envelope.type, "error": error},
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
            inbox = self.tables.inbox
            await session.execute(  # its inbox row was written with the dead letter
                inbox.delete().where(inbox.c.event_id == envelope.id, inbox.c.consumer == self.group)
            )
            await self._apply(session, [Delivery(envelope, row.topic, 0, 0)])
            await session.execute(
                dead_letters.update().where(dead_letters.c.id == dead_letter_id).values(replayed_at=utcnow())
            )
