"""The Kafka bus (aiokafka): CloudEvents binary mode, key = aggregate id, manual commits per group."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    CommitFailedError,
    InvalidTopicError,
    MessageSizeTooLargeError,
    RecordTooLargeError,
    TopicAuthorizationFailedError,
)
from aiokafka.structs import OffsetAndMetadata

from hues_shared.events.bus import Delivery, UnpublishableEvents
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.kafka_security import KafkaSecurity

logger = logging.getLogger(__name__)
# Errors that sending the same message again cannot fix: the relay sets such a row aside (fault 5).
UNPUBLISHABLE = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    InvalidTopicError,
    TopicAuthorizationFailedError,
)


class KafkaBus:
    """Producer shared by the outbox relay; one consumer per subscription (consumer group)."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        client_id: str,
        idempotent_producer: bool = True,
        partitions: int = 6,
        replication_factor: int = 1,
        request_timeout_ms: int = 10_000,
        consumer_session_timeout_ms: int = 10_000,
        consumer_max_poll_interval_ms: int = 300_000,
        security: KafkaSecurity | None = None,
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        # TLS / SASL for every client this bus makes (and the revocation feed's), docs/architecture.md.
        self.client_options = (security or KafkaSecurity()).client_options()
        self.client_id = client_id
        self.idempotent_producer = idempotent_producer
        self.partitions = partitions
        self.replication_factor = replication_factor
        self.request_timeout_ms = request_timeout_ms
        # How long a dead consumer keeps its partitions before the group moves them to a live member.
        self.consumer_session_timeout_ms = consumer_session_timeout_ms
        # The longest a member may go between fetches before the group evicts it (the consumer never
        # sleeps between fetches: waiting events pause their partition instead).
        self.consumer_max_poll_interval_ms = consumer_max_poll_interval_ms
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()
        self._known_topics: set[str] = set()

    async def start(self) -> None:
        """Connect if the broker answers; if not, the relay keeps events in the outbox and retries."""
        try:
            await self._ensure_producer()
        except Exception as exc:
            logger.warning("kafka not reachable at start; will retry on publish", extra={"error": repr(exc)})

    async def _ensure_producer(self) -> AIOKafkaProducer:
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    **self.client_options,
                    bootstrap_servers=self.bootstrap_servers,
                    client_id=self.client_id,
                    acks="all",
                    enable_idempotence=self.idempotent_producer,
                    linger_ms=5,
                    request_timeout_ms=self.request_timeout_ms,
                    max_batch_size=256 * 1024,
                )
                try:
                    await producer.start()
                except BaseException:
                    await producer.stop()
                    raise
                self._producer = producer
            return self._producer

    async def stop(self) -> None:
        async with self._lock:
            if self._producer is not None:
                await self._producer.stop()
                self._producer = None

    async def ping(self) -> None:
        producer = await self._ensure_producer()
        if not await producer.client.fetch_all_metadata():
            raise ConnectionError("kafka metadata unavailable")

    async def ensure_topics(self, topics: Sequence[str]) -> None:
        """Create missing topics with the configured partition count (production runs without auto-create)."""
        missing = [t for t in topics if t not in self._known_topics]
        if not missing:
            return
        admin = AIOKafkaAdminClient(
            **self.client_options,
            bootstrap_servers=self.bootstrap_servers,
            client_id=f"{self.client_id}-admin",
            request_timeout_ms=self.request_timeout_ms,
        )
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            new = [
                NewTopic(name=t, num_partitions=self.partitions, replication_factor=self.replication_factor)
                for t in missing
                if t not in existing
            ]
            if new:
                await admin.create_topics(new)
            self._known_topics.update(missing)
        finally:
            await admin.close()

    async def publish(self, envelopes: Sequence[EventEnvelope]) -> None:
        if not envelopes:
            return
        await self.ensure_topics(sorted({envelope.topic for envelope in envelopes}))
        producer = await self._ensure_producer()
        try:
            pending: list[tuple[EventEnvelope, asyncio.Future[object]]] = []
            refused: dict[str, str] = {}
            for envelope in envelopes:
                message = envelope.to_kafka()
                key = message.key.encode() if isinstance(message.key, str) else message.key
                try:
                    future = await producer.send(
                        envelope.topic, value=message.value, key=key, headers=list(message.headers.items())
                    )
                except UNPUBLISHABLE as exc:  # checked by the client before sending (size)
                    refused[envelope.id] = repr(exc)
                    continue
                pending.append((envelope, future))
            results = await asyncio.gather(*(future for _, future in pending), return_exceptions=True)
        except Exception:
            await self._discard_producer(producer)
            raise
        for (envelope, _), result in zip(pending, results, strict=True):
            if isinstance(result, UNPUBLISHABLE):
                refused[envelope.id] = repr(result)
            elif isinstance(result, BaseException):
                await self._discard_producer(producer)
                raise result  # transient (broker away, timeout): the whole batch is tried again
        if refused:
            raise UnpublishableEvents(refused)

    async def _discard_producer(self, producer: AIOKafkaProducer) -> None:
        """After a failed publish start over: a fresh producer, and topics checked again on the next try.

        A broker that restarted may have forgotten its topics (the test broker forgets everything), so
        they are re-created with the configured partitions before anything auto-creates them otherwise.
        """
        async with self._lock:
            if self._producer is producer:
                self._producer = None
            self._known_topics.clear()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.stop(), timeout=5)

    def subscribe(self, *, group: str, topics: Sequence[str]) -> KafkaSubscription:
        return KafkaSubscription(self, group=group, topics=topics)


class KafkaSubscription:
    """A consumer-group member: commits offsets only after the handler's transaction committed."""

    def __init__(self, bus: KafkaBus, *, group: str, topics: Sequence[str]) -> None:
        self.bus = bus
        self.group = group
        self.topics = list(topics)
        self._consumer: AIOKafkaConsumer | None = None
        self._paused: dict[TopicPartition, float] = {}
        self._in_flight = asyncio.Event()  # set while no fetched batch is being handled
        self._in_flight.set()
        self._commit_task: asyncio.Task[None] | None = None
        self._broker_lost = False
        self._uncommitted: dict[TopicPartition, int] = {}  # offsets handed to the commit in flight

    async def start(self) -> None:
        await self.bus.ensure_topics(self.topics)
        consumer = AIOKafkaConsumer(
            **self.bus.client_options,
            bootstrap_servers=self.bus.bootstrap_servers,
            client_id=f"{self.bus.client_id}-{self.group}",
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=max(self.bus.request_timeout_ms, 40_000),
            session_timeout_ms=self.bus.consumer_session_timeout_ms,
            heartbeat_interval_ms=max(self.bus.consumer_session_timeout_ms // 4, 500),
            max_poll_interval_ms=self.bus.consumer_max_poll_interval_ms,
        )
        consumer.subscribe(self.topics, listener=_Rebalance(self, consumer))
        try:
            await consumer.start()
        except BaseException:
            await consumer.stop()
            raise
        self._consumer = consumer

    async def retry_later(self, deliveries: Sequence[Delivery], delay: float) -> None:
        """Rewind each partition to its first waiting delivery and pause it (the others go on)."""
        assert self._consumer is not None, "subscription not started"
        first: dict[TopicPartition, int] = {}
        for delivery in deliveries:
            tp = TopicPartition(delivery.topic, delivery.partition)
            first[tp] = min(first.get(tp, delivery.offset), delivery.offset)
        resume_at = asyncio.get_running_loop().time() + delay
        assigned = self._consumer.assignment()
        for tp, offset in first.items():
            if tp not in assigned:
                continue  # revoked meanwhile: its new owner starts from the committed offset
            self._consumer.seek(tp, offset)
            self._consumer.pause(tp)
            self._paused[tp] = resume_at

    def _resume_due(self) -> None:
        assert self._consumer is not None
        now = asyncio.get_running_loop().time()
        due = [tp for tp, at in self._paused.items() if at <= now]
        for tp in due:
            del self._paused[tp]
        if due:
            self._consumer.resume(*[tp for tp in due if tp in self._consumer.assignment()])

    async def fetch(self, *, max_records: int, timeout: float) -> list[Delivery]:  # noqa: ASYNC109
        assert self._consumer is not None, "subscription not started"
        self._in_flight.set()  # the previous batch is done: a rebalance may now move partitions
        self._resume_due()
        if self._coordinator_lost():
            self._broker_lost = True
        elif self._broker_lost:
            self._broker_lost = False
            await self._consumer.seek_to_committed()  # the public way back (see _coordinator_lost)
            fresh = [tp for tp, offset in (await self._committed_now()).items() if not offset]
            if fresh:
                await self._consumer.seek_to_beginning(*fresh)
        if self._paused:  # come back when the first paused partition is due, not after the full timeout
            due = min(self._paused.values()) - asyncio.get_running_loop().time()
            timeout = max(min(timeout, due), 0.0)
        batches = await self._consumer.getmany(timeout_ms=int(timeout * 1000), max_records=max_records)
        if self._coordinator_lost():
            self._broker_lost = True  # what was fetched meanwhile may come from positions now stale
            return []
        deliveries: list[Delivery] = []
        for tp, records in batches.items():
            for record in records:
                try:
                    envelope = EventEnvelope.from_kafka(
                        topic=tp.topic,
                        key=record.key,
                        value=record.value or b"",
                        headers=list(record.headers),
                    )
                    deliveries.append(Delivery(envelope, tp.topic, tp.partition, record.offset))
                except Exception as exc:
                    deliveries.append(
                        Delivery(None, tp.topic, tp.partition, record.offset, raw_error=repr(exc), raw=record)
                    )
        if deliveries:
            self._in_flight.clear()
        return deliveries

    async def commit(self, deliveries: Sequence[Delivery]) -> None:
        assert self._consumer is not None, "subscription not started"
        offsets: dict[TopicPartition, int] = {}
        for delivery in deliveries:
            tp = TopicPartition(delivery.topic, delivery.partition)
            offsets[tp] = max(offsets.get(tp, -1), delivery.offset + 1)
        if not offsets:
            return
        # Non-blocking: the commit travels while the next batch is fetched and handled. It never waits
        # for the previous one (which may itself wait for a rebalance that waits for this batch): a
        # commit still in flight is superseded by one carrying the merged, later offsets. A commit
        # that fails only means redelivery, which the inbox absorbs.
        for tp, offset in offsets.items():
            self._uncommitted[tp] = max(self._uncommitted.get(tp, -1), offset)
        if self._commit_task is not None and not self._commit_task.done():
            self._commit_task.cancel()
        self._commit_task = asyncio.create_task(self._commit(self._consumer, dict(self._uncommitted)))

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        try:
            await consumer.commit({tp: OffsetAndMetadata(o, "") for tp, o in offsets.items()})
        except CommitFailedError as exc:
            # The group rebalanced under this batch: whoever owns the partitions now starts from the
            # last committed offsets (on_partitions_assigned); the inbox absorbs what comes again. The
            # member stays in the group and simply fetches on.
            logger.warning(
                "offsets not committed: the group rebalanced", extra={"group": self.group, "error": repr(exc)}
            )
        except Exception as exc:
            logger.warning(
                "offsets not committed; redelivery follows", extra={"group": self.group, "error": repr(exc)}
            )
        else:
            for tp, offset in offsets.items():
                if self._uncommitted.get(tp) == offset:
                    del self._uncommitted[tp]
            return
        for tp in offsets:  # not committed: what a new owner redelivers, the inbox absorbs
            self._uncommitted.pop(tp, None)

    def _coordinator_lost(self) -> bool:
        """The one private probe left (issue 8 fault 9): aiokafka has no public signal that the group
        coordinator is gone. Without it, a broker that comes back without its log (only the Tansu test
        broker does) lets records fetched at stale positions be handled and committed before the
        rebalance listener can seek, and the consumer skips events. Everything else is public API."""
        coordinator = getattr(self._consumer, "_coordinator", None)
        return coordinator is not None and getattr(coordinator, "coordinator_id", 0) is None

    async def _committed_now(self) -> dict[TopicPartition, int | None]:
        assert self._consumer is not None
        return {tp: await self._consumer.committed(tp) for tp in self._consumer.assignment()}

    def abandon_commits(self) -> None:
        if self._commit_task is not None and not self._commit_task.done():
            self._commit_task.cancel()
        self._commit_task = None
        self._uncommitted.clear()

    async def settle_commits(self) -> None:
        """Wait for the commit in flight, if any."""
        task = self._commit_task
        if task is not None and not task.done():
            with contextlib.suppress(Exception):
                await asyncio.shield(task)  # a timeout around this call leaves the commit running

    async def stop(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.settle_commits(), timeout=10)
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            # aiokafka's stop can wait for ever on a broker that is gone; shutdown must stay bounded.
            closing = asyncio.ensure_future(consumer.stop())
            done, _ = await asyncio.wait({closing}, timeout=10)
            if not done:
                logger.warning("kafka consumer did not stop in time; abandoned", extra={"group": self.group})


class _Rebalance(ConsumerRebalanceListener):
    """Partitions move only between batches, and a partition (re)assigned starts from its committed
    offset: after a rebalance, a broker restart or a failed commit, nothing fetched but not committed
    is skipped (from the beginning when the group has no offset yet, e.g. a broker that came back
    empty); whatever that redelivers, the inbox absorbs."""

    def __init__(self, subscription: KafkaSubscription, consumer: AIOKafkaConsumer) -> None:
        self.subscription = subscription
        self.consumer = consumer

    async def on_partitions_revoked(self, revoked: Sequence[TopicPartition]) -> None:
        with contextlib.suppress(TimeoutError):  # the batch in flight commits first (bounded)
            await asyncio.wait_for(self.subscription._in_flight.wait(), timeout=30)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.subscription.settle_commits(), timeout=2)
        # A commit that has not landed by now must not land after the partitions are reassigned: it
        # would carry positions fetched before the rebalance (after a broker restart, from a log that
        # no longer exists) over the offsets the new assignment starts from. Redelivery is absorbed.
        self.subscription.abandon_commits()
        for tp in revoked:
            self.subscription._paused.pop(tp, None)

    async def on_partitions_assigned(self, assigned: Sequence[TopicPartition]) -> None:
        if not assigned:
            return
        committed = await self.consumer.seek_to_committed(*assigned)
        fresh = [tp for tp, offset in committed.items() if not offset]
        if fresh:
            await self.consumer.seek_to_beginning(*fresh)
