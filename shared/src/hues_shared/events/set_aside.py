"""Outbox rows the bus refuses for good (fault 5): set aside, so the rest of the outbox flows.

A row that can never be published (larger than the broker accepts, a topic the producer may not write)
used to block every row behind it. The relay now moves it out of the stream: its outbox row is marked
published and a copy is kept in the service's `dead_letters` table under the consumer name `outbox`,
with the error, so operators see it in `GET /v1/ops/dead-letters?source=outbox`, fix the cause and
retry it (`POST …/{id}/replay`: the row is queued again) or discard it (`POST …/{id}/discard`). The
relay logs each one at ERROR and counts it in `outbox_set_aside_total`. Per-key order is given up for
that one event: later events of its key were already published when it is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.db import Database
from hues_shared.events.tables import MessagingTables
from hues_shared.types import utcnow

logger = logging.getLogger(__name__)
OUTBOX_SOURCE = "outbox"  # the `consumer` of a set-aside row in dead_letters


async def set_aside(
    session: AsyncSession, tables: MessagingTables, rows: Sequence[Any], refused: dict[str, str]
) -> None:
    """Store the refused rows (outbox rows of this relay batch) as dead letters of the outbox."""
    now = utcnow()
    for row in rows:
        error = refused[row.event_id]
        logger.error(
            "outbox event cannot be published; set aside for an operator",
            extra={
                "event_id": row.event_id,
                "event_type": row.event_type,
                "topic": row.topic,
                "error": error,
            },
        )
        await session.execute(
            tables.dead_letters.insert().values(
                event_id=row.event_id,
                consumer=OUTBOX_SOURCE,
                topic=row.topic,
                event_type=row.event_type,
                partition_key=row.partition_key,
                source=row.source,
                occurred_at=row.occurred_at,
                payload=row.payload,
                error=error[:4000],
                attempts=1,
                failed_at=now,
            )
        )


async def retry_set_aside(db: Database, tables: MessagingTables, dead_letter_id: int) -> None:
    """Queue a set-aside event again (after the cause was fixed); LookupError if there is none."""
    dead_letters, outbox = tables.dead_letters, tables.outbox
    async with db.unit_of_work() as session:
        row = (
            await session.execute(
                sa.select(dead_letters).where(
                    dead_letters.c.id == dead_letter_id, dead_letters.c.consumer == OUTBOX_SOURCE
                )
            )
        ).one_or_none()
        if row is None:
            raise LookupError(dead_letter_id)
        if row.replayed_at is not None:
            return
        requeued = await session.execute(
            outbox.update().where(outbox.c.event_id == row.event_id).values(published_at=None)
        )
        if not getattr(requeued, "rowcount", 0):  # its outbox row was purged meanwhile: write it again
            await session.execute(
                outbox.insert().values(
                    event_id=row.event_id,
                    topic=row.topic,
                    partition_key=row.partition_key,
                    event_type=row.event_type,
                    source=row.source,
                    occurred_at=row.occurred_at,
                    payload=row.payload,
                )
            )
        await session.execute(
            dead_letters.update().where(dead_letters.c.id == dead_letter_id).values(replayed_at=utcnow())
        )
