"""The consumer's retry plumbing: what it needs of a subscription, and the in-place stand-in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from hues_shared.events.bus import Delivery


class Retrying(Protocol):
    """What `_process` needs of a subscription: commit what is done, rewind and pause what waits."""

    async def commit(self, deliveries: Sequence[Delivery]) -> None: ...
    async def retry_later(self, deliveries: Sequence[Delivery], delay: float) -> None: ...


class InPlaceRetries:
    """`process` without a subscription: nothing to commit; waiting events are retried by `process`."""

    def __init__(self) -> None:
        self.pending: list[tuple[list[Delivery], float]] = []

    async def commit(self, deliveries: Sequence[Delivery]) -> None:
        return None

    async def retry_later(self, deliveries: Sequence[Delivery], delay: float) -> None:
        self.pending.append((list(deliveries), delay))


def by_partition(deliveries: Sequence[Delivery]) -> list[list[Delivery]]:
    """The batch split per (topic, partition), each in offset order: the unit of ordering and rewind."""
    groups: dict[tuple[str, int], list[Delivery]] = {}
    for delivery in deliveries:
        groups.setdefault((delivery.topic, delivery.partition), []).append(delivery)
    return list(groups.values())


def insert_ignoring_duplicates(table: sa.Table, dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on PostgreSQL and SQLite alike."""
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()
