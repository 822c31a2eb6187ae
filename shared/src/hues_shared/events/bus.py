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
    ack: Any = None  # the in-memory bus's confirmation, settled when the group commits this delivery


class UnpublishableEvents(Exception):
    """Some events of a batch can never be published (too large, a topic the producer may not write);
    the others were. `refused` maps event id to the error."""

    def __init__(self, refused: dict[str, str]) -> None:
        super().__init__(f"{len(refused)} event(s) cannot be published")
        self.refused = refused


class Subscription(Protocol):
    async def start(self) -> None: ...
    async def fetch(self, *, max_records: int, timeout: float) -> list[Delivery]: ...  # noqa: ASYNC109
    async def commit(self, deliveries: Sequence[Delivery]) -> None: ...
    async def retry_later(self, deliveries: Sequence[Delivery], delay: float) -> None:
        """Hand these deliveries (and what follows them on their partitions) out again after `delay`."""
        ...

    async def stop(self) -> None: ...


class EventBus(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def ping(self) -> None: ...
    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        """Publish all or raise: the outbox marks rows sent only after this returns."""
        ...

    def subscribe(self, *, group: str, topics: Sequence[str]) -> Subscription: ...


class _Confirmation:
    """One `publish` call waiting until every group it was fanned out to has committed its deliveries."""

    def __init__(self, pending: int) -> None:
        self.pending = pending
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if pending == 0:
            self.done.set_result(None)

    def confirm(self) -> None:
        self.pending -= 1
        if self.pending <= 0 and not self.done.done():
            self.done.set_result(None)

    def fail(self, error: Exception) -> None:
        if not self.done.done():
            self.done.set_exception(error)


class InMemoryBus:
    """The embedded mode's bus: topics fan out to consumer groups; each group has one queue.

    Same contract as Kafka (at-least-once delivery to every group, commit after handling), with one
    difference that makes the outbox the only durable store: `publish` returns only once every group
    subscribed to the topic has *committed* the events (handled them, or dead-lettered them). The relay
    marks outbox rows published only then, so nothing held in memory is ever counted as delivered: a
    Ctrl-C, a crash or a SIGKILL leaves unconfirmed rows in the outbox, the relay sends them again on
    the next start, and the consumers' inbox absorbs what was already handled. Groups are declared
    before any relay starts (`subscribe` without `start`, done by the app factory), so a backlog sent at
    start-up waits in the group's queue instead of reaching no one. A group whose subscription stops
    fails the confirmations it still owes: the relay keeps those rows and retries them.
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
        targets = [
            [self._groups[group] for group in sorted(self._topic_groups.get(envelope.topic, ()))]
            for envelope in envelopes
        ]
        stopped = sorted({sub.group for subs in targets for sub in subs if sub.stopped})
        if stopped:
            groups = ", ".join(stopped)
            raise ConnectionError(f"consumer group(s) {groups} stopped; the events stay in the outbox")
        confirmation = _Confirmation(sum(len(subs) for subs in targets))
        for envelope, subscriptions in zip(envelopes, targets, strict=True):
            offset = self._offsets[envelope.topic]
            self._offsets[envelope.topic] = offset + 1
            if self.keep_history:
                self.published.append(envelope)
            for subscription in subscriptions:
                subscription.queue.put_nowait(Delivery(envelope, envelope.topic, 0, offset, ack=confirmation))
        await confirmation.done

    def subscribe(self, *, group: str, topics: Sequence[str]) -> _MemorySubscription:
        """Declare (or rejoin) a group; events published from now on wait for it to commit them."""
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
        self.waiting: list[Delivery] = []
        self.resume_at = 0.0
        self.stopped = False

    async def start(self) -> None:
        self.stopped = False

    async def fetch(self, *, max_records: int, timeout: float) -> list[Delivery]:  # noqa: ASYNC109
        # Redeliver what a previous fetch left uncommitted (a handler crashed mid-batch).
        if self.uncommitted:
            return list(self.uncommitted[:max_records])
        if self.waiting:  # rewound by retry_later: the whole queue waits behind them (one partition)
            remaining = self.resume_at - asyncio.get_running_loop().time()
            if remaining > 0:
                await asyncio.sleep(min(remaining, timeout))
                return []
            self.uncommitted, self.waiting = self.waiting, []
            return list(self.uncommitted[:max_records])
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
        for delivery in self.uncommitted:
            if id(delivery) in done and isinstance(delivery.ack, _Confirmation):
                delivery.ack.confirm()
        self.uncommitted = [d for d in self.uncommitted if id(d) not in done]

    async def retry_later(self, deliveries: Sequence[Delivery], delay: float) -> None:
        again = {id(d) for d in deliveries}
        self.uncommitted = [d for d in self.uncommitted if id(d) not in again]
        self.waiting = sorted([*self.waiting, *deliveries], key=lambda d: (d.topic, d.offset))
        self.resume_at = max(self.resume_at, asyncio.get_running_loop().time() + delay)

    async def stop(self) -> None:
        """Leave the group: what it still owes is failed back to the publishers (kept in their outbox)."""
        self.stopped = True
        owed = [*self.uncommitted, *self.waiting]
        self.waiting = []
        while not self.queue.empty():
            owed.append(self.queue.get_nowait())
        self.uncommitted = []
        error = ConnectionError(f"consumer group {self.group} stopped before committing")
        for delivery in owed:
            if isinstance(delivery.ack, _Confirmation):
                delivery.ack.fail(error)
