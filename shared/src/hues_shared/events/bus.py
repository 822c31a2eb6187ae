"""The bus abstraction (publish; subscribe as a consumer group) and its in-memory implementation."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from hues_shared.events.envelope import EventEnvelope


@dataclass(frozen=True)
class Delivery:
    """One received event plus where it came from, so the consumer can commit past it."""

    envelope: EventEnvelope | None
    topic: str
    partition: int
    offset: int
    raw_error: str | None = None  # set when the message could not be decoded into an envelope
    raw: Any = None


class Subscription(Protocol):
    async def start(self) -> None: ...
    async def fetch(self, *, max_records: int, timeout: float) -> list[Delivery]: ...  # noqa: ASYNC109
    async def commit(self, deliveries: Sequence[Delivery]) -> None: ...
    async def stop(self) -> None: ...


class EventBus(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def ping(self) -> None: ...
    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        """Publish all or raise: the outbox marks rows sent only after this returns."""
        ...

    def subscribe(self, *, group: str, topics: Sequence[str]) -> Subscription: ...


class InMemoryBus:
    """The embedded mode's bus: topics fan out to consumer groups; each group has one queue per topic set.

    Same contract as Kafka (at-least-once delivery to every group, commit after handling); it forgets
    everything on exit, so durability comes from each service's outbox, as with the test broker.
    """

    def __init__(self) -> None:
        self._groups: dict[str, _MemorySubscription] = {}
        self._topic_groups: dict[str, set[str]] = defaultdict(set)
        self._offsets: dict[str, int] = defaultdict(int)
        self.published: list[EventEnvelope] = []
        self.keep_history = False
        self.available = True

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def ping(self) -> None:
        if not self.available:
            raise ConnectionError("in-memory bus marked unavailable")

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        if not self.available:
            raise ConnectionError("in-memory bus marked unavailable")
        for envelope in envelopes:
            offset = self._offsets[envelope.topic]
            self._offsets[envelope.topic] = offset + 1
            if self.keep_history:
                self.published.append(envelope)
            for group in self._topic_groups.get(envelope.topic, ()):
                self._groups[group].queue.put_nowait(Delivery(envelope, envelope.topic, 0, offset))

    def subscribe(self, *, group: str, topics: Sequence[str]) -> _MemorySubscription:
        subscription = self._groups.get(group)
        if subscription is None:
            subscription = self._groups[group] = _MemorySubscription(group)
        for topic in topics:
            self._topic_groups[topic].add(group)
        return subscription


class _MemorySubscription:
    def __init__(self, group: str) -> None:
        self.group = group
        self.queue: asyncio.Queue[Delivery] = asyncio.Queue()
        self.uncommitted: list[Delivery] = []

    async def start(self) -> None:
        return None

    async def fetch(self, *, max_records: int, timeout: float) -> list[Delivery]:  # noqa: ASYNC109
        # Redeliver what a previous fetch left uncommitted (a handler crashed mid-batch).
        if self.uncommitted:
            batch, self.uncommitted = self.uncommitted[:max_records], self.uncommitted[max_records:]
            self.uncommitted = batch + self.uncommitted
            return list(batch)
        try:
            first = await asyncio.wait_for(self.queue.get(), timeout=timeout)
        except TimeoutError:
            return []
        batch = [first]
        while len(batch) < max_records and not self.queue.empty():
            batch.append(self.queue.get_nowait())
        self.uncommitted = list(batch)
        return batch

    async def commit(self, deliveries: Sequence[Delivery]) -> None:
        done = {id(d) for d in deliveries}
        self.uncommitted = [d for d in self.uncommitted if id(d) not in done]

    async def stop(self) -> None:
        return None
