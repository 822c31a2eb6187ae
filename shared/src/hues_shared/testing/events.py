"""Assert on what a service published: read its outbox, or record what reached the bus."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import sqlalchemy as sa

from hues_shared.app import ServiceRuntime
from hues_shared.events.bus import InMemoryBus
from hues_shared.events.contracts import EventContract
from hues_shared.events.envelope import EventEnvelope

C = TypeVar("C", bound=EventContract)


async def outbox_events(runtime: ServiceRuntime, contract_cls: type[C]) -> list[C]:
    """Events of one type this service wrote to its outbox (published or not), oldest first."""
    outbox = runtime.tables.outbox
    async with runtime.db.sessions() as session:
        rows = (
            await session.execute(
                sa.select(outbox.c.payload)
                .where(outbox.c.event_type == contract_cls.event_type)
                .order_by(outbox.c.position)
            )
        ).scalars()
        return [contract_cls.model_validate(payload) for payload in rows]


class RecordingBus(InMemoryBus):
    """An in-memory bus that keeps everything published, for assertions across services."""

    def __init__(self) -> None:
        super().__init__()
        self.keep_history = True

    def of_type(self, contract_cls: type[C]) -> list[C]:
        return [
            contract_cls.model_validate(e.data) for e in self.published if e.type == contract_cls.event_type
        ]

    def envelopes(self, event_type: str) -> Sequence[EventEnvelope]:
        return [e for e in self.published if e.type == event_type]
