"""Purging the messaging tables, so inbox, idempotency keys and dead letters do not grow without bound.

Run by each service's outbox relay every few minutes (one statement per table, each its own short
transaction). The retentions are settings; the defaults:
- inbox rows: 7 days (168 h), Kafka's default retention: an event older than that cannot be
  redelivered, so its idempotency record is no longer needed (set it to at least the topics'
  `retention.ms` when that is raised);
- idempotency keys: 24 hours after the first request (a client retries within minutes);
- dead letters: 30 days after they were resolved (replayed); pending ones are never purged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hues_shared.db import Database
from hues_shared.events.tables import MessagingTables
from hues_shared.types import utcnow


@dataclass(frozen=True)
class Retention:
    inbox: timedelta = timedelta(hours=168)
    idempotency_keys: timedelta = timedelta(hours=24)
    resolved_dead_letters: timedelta = timedelta(days=30)


async def purge_expired(db: Database, tables: MessagingTables, retention: Retention) -> dict[str, int]:
    """Delete what outlived its retention; returns the number of rows deleted per table."""
    now = utcnow()
    inbox, keys, dead = tables.inbox, tables.idempotency_keys, tables.dead_letters
    statements = {
        "inbox": inbox.delete().where(inbox.c.processed_at < now - retention.inbox),
        "idempotency_keys": keys.delete().where(keys.c.created_at < now - retention.idempotency_keys),
        "dead_letters": dead.delete().where(
            dead.c.replayed_at.is_not(None), dead.c.replayed_at < now - retention.resolved_dead_letters
        ),
    }
    deleted: dict[str, int] = {}
    for name, statement in statements.items():
        async with db.unit_of_work() as session:
            result = await session.execute(statement)
            deleted[name] = int(getattr(result, "rowcount", 0) or 0)
    return deleted
