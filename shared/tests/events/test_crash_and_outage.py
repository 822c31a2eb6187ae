"""Issue 2's "done when": a killed consumer and a broker outage lose no event and apply none twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from hues_eventlab import app as lab
from hues_eventlab import pipeline
from hues_eventlab.waiting import eventually

from hues_shared.db import Database
from hues_shared.testing.infrastructure import TansuBroker

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.timeout(120)]
WORKER = Path(__file__).resolve().parents[1] / "hues_eventlab" / "worker.py"


def start_worker(database_url: str, bootstrap: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), database_url, bootstrap],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


async def handled_count(db: Database) -> int:
    return (await lab.effects(db))[0]


async def inbox_count(db: Database) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(sa.select(sa.func.count()).select_from(lab.tables.inbox)) or 0)


async def test_consumer_process_killed_mid_stream_handles_every_event_once(
    lab_db: Database, postgres_url: str, fresh_broker: TansuBroker
) -> None:
    total = 1_500
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    await bus.ensure_topics([lab.ItemRecorded.topic])
    relay = pipeline.relay(lab_db, bus, poll_interval=0.05, batch_size=50)
    relay.start()
    worker = start_worker(lab_db.url, fresh_broker.bootstrap)
    restarted: subprocess.Popen[str] | None = None

    async def produce() -> None:
        for start in range(0, total, 30):  # events keep flowing across the kill and the restart
            await pipeline.record_items(lab_db, start=start, count=30, per_transaction=10)
            await asyncio.sleep(0.04)

    producing = asyncio.create_task(produce())
    try:

        async def midway() -> bool:
            return await handled_count(lab_db) >= 200

        await eventually(midway, within=30)
        worker.send_signal(signal.SIGKILL)  # no shutdown, no commit: whatever was in flight is lost
        worker.wait(timeout=10)
        killed_at = await handled_count(lab_db)
        assert killed_at < total, "the kill must happen mid-stream"
        restarted = start_worker(lab_db.url, fresh_broker.bootstrap)
        await producing

        async def finished() -> bool:
            return await handled_count(lab_db) >= total

        await eventually(finished, within=60, interval=0.2)
        await asyncio.sleep(1.0)  # any late duplicate would show up now
        assert await lab.effects(lab_db) == (total, total, 0)  # every event once in effect, none lost
        assert await inbox_count(lab_db) == total
    finally:
        producing.cancel()
        for process in (worker, restarted):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        await relay.stop()
        await bus.stop()


async def test_events_committed_while_the_broker_is_down_arrive_once_after_it_returns(
    lab_db: Database, fresh_broker: TansuBroker
) -> None:
    bus = pipeline.kafka_bus(fresh_broker.bootstrap)
    bus.request_timeout_ms = 3_000
    relay = pipeline.relay(lab_db, bus, poll_interval=0.1)
    consumer = pipeline.consumer(lab_db, bus, batch_size=50)
    await bus.ensure_topics([lab.ItemRecorded.topic])
    relay.start()
    consumer.start()
    try:
        await pipeline.record_items(lab_db, start=0, count=50)

        async def first_batch() -> bool:
            return await handled_count(lab_db) == 50

        await eventually(first_batch, within=30)

        fresh_broker.stop()
        await pipeline.record_items(lab_db, start=50, count=150)  # committed while the broker is down

        async def relay_failed() -> bool:
            return bool(relay.metrics.relay_failures._value.get() > 0)

        await eventually(relay_failed, within=15)
        assert await relay.backlog() == 150  # they wait in the outbox

        fresh_broker.start()  # same port; Tansu comes back empty (no topics, no offsets)

        async def all_arrived() -> bool:
            return await handled_count(lab_db) >= 200

        try:
            await eventually(all_arrived, within=45, interval=0.2)
        except AssertionError as exc:
            async with lab_db.sessions() as session:
                seqs = set((await session.execute(sa.select(lab.handled.c.seq))).scalars())
            missing = sorted(set(range(200)) - seqs)
            raise AssertionError(f"missing {missing}; outbox backlog {await relay.backlog()}") from exc
        await asyncio.sleep(1.0)
        assert await lab.effects(lab_db) == (200, 200, 0)
        assert await relay.backlog() == 0
    finally:
        await consumer.stop()
        await relay.stop()
        await bus.stop()
