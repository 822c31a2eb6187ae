"""Issue 8, item 10 on the Tansu broker: a process reads revocations by manual assignment from
`offsets_for_times(now - token lifetime - leeway)`, without a consumer group, and is ready once it reached
the end offsets it saw at start."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaProducer

from hues_shared.auth.denylist import Denylist
from hues_shared.auth.revocation_feeds import KafkaTimeFeed
from hues_shared.auth.revocations import TOPIC, RevocationListener
from hues_shared.contracts.identity import SessionRevoked
from hues_shared.events.kafka import KafkaBus
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.infrastructure import TansuBroker

LIFETIME = 930.0


def revoked(sid: str, at: datetime) -> SessionRevoked:
    return SessionRevoked(account_id="acc-k", session_id=sid, reason="logout", revoked_at=at)


async def produce_at(bus: KafkaBus, event: SessionRevoked, *, timestamp: datetime) -> None:
    """Produce with an explicit record timestamp (the broker indexes offsets by it)."""
    await bus.ensure_topics([TOPIC])
    message = envelope_for(event, source="/hues/identity-service").to_kafka()
    producer = AIOKafkaProducer(bootstrap_servers=bus.bootstrap_servers, enable_idempotence=False)
    await producer.start()
    try:
        key = message.key.encode() if isinstance(message.key, str) else message.key
        await producer.send_and_wait(
            TOPIC,
            value=message.value,
            key=key,
            headers=list(message.headers.items()),
            timestamp_ms=int(timestamp.timestamp() * 1000),
        )
    finally:
        await producer.stop()


async def test_new_process_reads_only_the_last_token_lifetime_of_revocations(
    kafka_broker: TansuBroker,
) -> None:
    bus = KafkaBus(bootstrap_servers=kafka_broker.bootstrap, client_id="identity", idempotent_producer=False)
    now = datetime.now(UTC)
    await produce_at(
        bus, revoked("sid-ancient", now - timedelta(hours=2)), timestamp=now - timedelta(hours=2)
    )
    await produce_at(
        bus, revoked("sid-recent", now - timedelta(minutes=5)), timestamp=now - timedelta(minutes=5)
    )
    feed = KafkaTimeFeed(bus, topic=TOPIC, name="feedback", lookback_seconds=LIFETIME)
    listener = RevocationListener(feed=feed, denylist=Denylist(ttl_seconds=LIFETIME * 10))
    await listener.start(wait_seconds=20)
    try:
        assert listener.current and feed.caught_up
        await listener.ping()
        assert listener.denylist.refusal({"sid": "sid-recent", "sub": "acc-k", "iat": 0}) == "session-revoked"
        # Older than any token that can still be valid: never read (with the long TTL it would still be held).
        assert listener.denylist.refusal({"sid": "sid-ancient", "sub": "acc-k", "iat": 0}) is None
        await bus.publish(
            [envelope_for(revoked("sid-live", datetime.now(UTC)), source="/hues/identity-service")]
        )
        deadline = time.monotonic() + 10
        while listener.denylist.refusal({"sid": "sid-live", "sub": "acc-k", "iat": 0}) is None:
            assert time.monotonic() < deadline, "a live revocation was not read"
            await asyncio.sleep(0.05)
    finally:
        await listener.stop()
        await bus.stop()


async def test_listener_is_not_ready_until_it_reached_the_end_seen_at_start(
    kafka_broker: TansuBroker,
) -> None:
    bus = KafkaBus(bootstrap_servers=kafka_broker.bootstrap, client_id="identity", idempotent_producer=False)
    now = datetime.now(UTC)
    for n in range(3):
        await produce_at(bus, revoked(f"sid-{n}", now), timestamp=now)
    feed = KafkaTimeFeed(bus, topic=TOPIC, name="gateway", lookback_seconds=LIFETIME)
    listener = RevocationListener(feed=feed, denylist=Denylist(ttl_seconds=LIFETIME))
    assert not listener.current
    await listener.start(wait_seconds=20)
    try:
        assert feed.caught_up and listener.lag == 0
        assert all(listener.denylist.refusal({"sid": f"sid-{n}"}) for n in range(3))
    finally:
        await listener.stop()
        await bus.stop()
