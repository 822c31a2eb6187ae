"""Where revocations are read from: identity's account topic, as each bus offers it.

Kafka: no consumer group (nothing to commit, no orphan groups left by replicas that come and go). Each
process assigns itself every partition by hand and starts from `offsets_for_times(now - lookback)`, the
lookback being the longest access-token lifetime plus leeway: older events cannot refuse a token that is
still valid. It is caught up once it reached the end offsets it saw at start (issue 8, item 10).
In memory (embedded mode, tests): a consumer group of its own on the shared bus, live from subscription.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Protocol

from aiokafka import AIOKafkaConsumer, TopicPartition

from hues_shared.events.bus import EventBus, Subscription
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.kafka import KafkaBus


class RevocationFeed(Protocol):
    async def start(self) -> None:
        """Connect; raise when the source cannot be reached yet (the listener retries)."""
        ...

    async def fetch(self, *, timeout: float) -> list[EventEnvelope]:  # noqa: ASYNC109
        """The next events (possibly none); what is returned counts as read."""
        ...

    async def probe(self) -> int:
        """Ask the source for its end; return how many events are not read yet. Raise when unreachable."""
        ...

    @property
    def caught_up(self) -> bool:
        """Everything that existed when the feed started has been read."""
        ...

    async def stop(self) -> None: ...


class BusFeed:
    """A consumer group of its own on the bus (each process must see every event)."""

    def __init__(self, bus: EventBus, *, topic: str, name: str) -> None:
        self.bus = bus
        self.topic = topic
        self.group = f"{name}-revocations-{uuid.uuid4().hex[:10]}"
        self._subscription: Subscription | None = None

    async def start(self) -> None:
        subscription = self.bus.subscribe(group=self.group, topics=[self.topic])
        await subscription.start()
        self._subscription = subscription

    async def fetch(self, *, timeout: float) -> list[EventEnvelope]:  # noqa: ASYNC109
        assert self._subscription is not None
        deliveries = await self._subscription.fetch(max_records=500, timeout=timeout)
        if deliveries:
            await self._subscription.commit(deliveries)
        return [d.envelope for d in deliveries if d.envelope is not None]

    async def probe(self) -> int:
        await self.bus.ping()
        queue = getattr(self._subscription, "queue", None)
        return queue.qsize() if isinstance(queue, asyncio.Queue) else 0

    @property
    def caught_up(self) -> bool:
        return self._subscription is not None

    async def stop(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.stop()


class KafkaTimeFeed:
    """Manual assignment of every partition, from the offsets of `now - lookback` (no consumer group)."""

    def __init__(self, bus: KafkaBus, *, topic: str, name: str, lookback_seconds: float) -> None:
        self.bus = bus
        self.topic = topic
        self.name = name
        self.lookback_seconds = lookback_seconds
        self._consumer: AIOKafkaConsumer | None = None
        self._targets: dict[TopicPartition, int] = {}
        self._caught_up = False
        self._since_ms = 0

    async def start(self) -> None:
        await self.bus.ensure_topics([self.topic])
        consumer = AIOKafkaConsumer(
            **self.bus.client_options,
            bootstrap_servers=self.bus.bootstrap_servers,
            client_id=f"{self.bus.client_id}-revocations",
            group_id=None,
            enable_auto_commit=False,
            request_timeout_ms=self.bus.request_timeout_ms,
        )
        try:
            await consumer.start()
            partitions = await self._partitions(consumer)
            consumer.assign(partitions)
            since_ms = self._since_ms = int((time.time() - self.lookback_seconds) * 1000)
            starts = await consumer.offsets_for_times(dict.fromkeys(partitions, since_ms))
            ends = await consumer.end_offsets(partitions)
            for tp in partitions:
                found = starts.get(tp)
                consumer.seek(tp, found.offset if found is not None else ends[tp])
        except BaseException:
            await consumer.stop()
            raise
        self._targets = {tp: ends[tp] for tp in partitions}
        self._consumer = consumer

    async def _partitions(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        for _ in range(50):
            await consumer.topics()  # refreshes metadata
            found = consumer.partitions_for_topic(self.topic)
            if found:
                return [TopicPartition(self.topic, p) for p in sorted(found)]
            await asyncio.sleep(0.1)
        raise ConnectionError(f"topic {self.topic} has no partitions yet")

    async def fetch(self, *, timeout: float) -> list[EventEnvelope]:  # noqa: ASYNC109
        assert self._consumer is not None
        batches = await self._consumer.getmany(timeout_ms=int(timeout * 1000), max_records=500)
        envelopes = []
        for tp, records in batches.items():
            for record in records:
                if record.timestamp < self._since_ms:
                    # The offset index may be coarse (the Tansu test broker ignores the timestamp):
                    # the record's own time decides, so nothing older than the lookback is applied.
                    continue
                with contextlib.suppress(Exception):  # undecodable: not a revocation we can apply
                    envelopes.append(
                        EventEnvelope.from_kafka(
                            topic=tp.topic,
                            key=record.key,
                            value=record.value or b"",
                            headers=list(record.headers),
                        )
                    )
        return envelopes

    async def probe(self) -> int:
        consumer = self._consumer
        assert consumer is not None
        partitions = list(self._targets)
        ends = await consumer.end_offsets(partitions)  # a broker round trip: proves the source answers
        positions = {tp: await consumer.position(tp) for tp in partitions}
        if not self._caught_up:
            self._caught_up = all(positions[tp] >= target for tp, target in self._targets.items())
        return sum(max(0, ends[tp] - positions[tp]) for tp in partitions)

    @property
    def caught_up(self) -> bool:
        return self._caught_up

    async def stop(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            closing = asyncio.ensure_future(consumer.stop())
            await asyncio.wait({closing}, timeout=10)


def revocation_feed(bus: EventBus, *, topic: str, name: str, lookback_seconds: float) -> RevocationFeed:
    if isinstance(bus, KafkaBus):
        return KafkaTimeFeed(bus, topic=topic, name=name, lookback_seconds=lookback_seconds)
    return BusFeed(bus, topic=topic, name=name)
