"""How a service declares what it consumes: `@handlers.on(Event)` per event, `@handlers.on_batch(Event)`
for a run of events in one call (one multi-row statement instead of one per event)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.events.contracts import EventContract
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.tables import MessagingTables

C = TypeVar("C", bound=EventContract)


@dataclass(frozen=True)
class EventContext:
    """What a handler gets besides the event: the unit of work's session and the envelope."""

    session: AsyncSession
    envelope: EventEnvelope
    tables: MessagingTables


@dataclass(frozen=True)
class BatchContext:
    """What a batch handler gets besides its events: the session and the envelopes, in the same order."""

    session: AsyncSession
    envelopes: Sequence[EventEnvelope]
    tables: MessagingTables


Handler = Callable[[Any, EventContext], Awaitable[None]]
BatchHandler = Callable[[list[Any], BatchContext], Awaitable[None]]


class EventHandlers:
    """A service's subscriptions, declared in one place (its events/handlers.py)."""

    def __init__(self) -> None:
        self._by_type: dict[str, tuple[type[EventContract], Handler]] = {}
        self._batch_by_type: dict[str, tuple[type[EventContract], BatchHandler]] = {}

    def on(self, contract_cls: type[C]) -> Callable[[Callable[[C, EventContext], Awaitable[None]]], Handler]:
        def register(func: Callable[[C, EventContext], Awaitable[None]]) -> Handler:
            self._refuse_second(contract_cls)
            self._by_type[contract_cls.event_type] = (contract_cls, func)
            return func

        return register

    def on_batch(
        self, contract_cls: type[C]
    ) -> Callable[[Callable[[list[C], BatchContext], Awaitable[None]]], BatchHandler]:
        """Register a handler called with every consecutive event of this type in a fetched batch (in
        order, duplicates already removed), in the batch's transaction: write them with one multi-row
        statement. Ordering across types is kept: a run of this type ends where another type appears."""

        def register(func: Callable[[list[C], BatchContext], Awaitable[None]]) -> BatchHandler:
            self._refuse_second(contract_cls)
            self._batch_by_type[contract_cls.event_type] = (contract_cls, func)
            return func

        return register

    def _refuse_second(self, contract_cls: type[EventContract]) -> None:
        if contract_cls.event_type in self._by_type or contract_cls.event_type in self._batch_by_type:
            raise ValueError(f"{contract_cls.event_type} already has a handler")

    @property
    def topics(self) -> list[str]:
        classes = [cls for cls, _ in self._by_type.values()] + [
            cls for cls, _ in self._batch_by_type.values()
        ]
        return sorted({cls.topic for cls in classes})

    @property
    def event_types(self) -> list[str]:
        return sorted([*self._by_type, *self._batch_by_type])

    def handles(self, event_type: str) -> bool:
        return event_type in self._by_type or event_type in self._batch_by_type

    def handler_for(self, event_type: str) -> tuple[type[EventContract], Handler] | None:
        return self._by_type.get(event_type)

    def batch_handler_for(self, event_type: str) -> tuple[type[EventContract], BatchHandler] | None:
        return self._batch_by_type.get(event_type)

    def __bool__(self) -> bool:
        return bool(self._by_type or self._batch_by_type)


class PermanentEventError(Exception):
    """A handler raises this when retrying cannot help (the event is dead-lettered at once)."""
