"""The benchmark's consumer process: handles events and prints `<commit time> <ids>` after each commit."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

sys.path.insert(0, str(Path(__file__).parent))

import pipeline

from hues_shared.db import Database
from hues_shared.events.consumer import EventConsumer
from hues_shared.metrics import ServiceMetrics
from hues_shared.testing.processes import consume_until_terminated


def report(session: AsyncSession) -> None:
    ids = session.info.pop(pipeline.HANDLED_IDS, None)
    if ids:
        sys.stdout.write(f"{time.time():.6f} {','.join(ids)}\n")
        sys.stdout.flush()


async def main(database_url: str, bootstrap: str) -> None:
    db = Database(database_url, source="/hues/bench-consumer", pool_size=4)
    db.after_commit(report)
    bus = pipeline.kafka_bus(bootstrap, "bench-consumer")
    consumer = EventConsumer(
        group="bench-consumer",
        bus=bus,
        db=db,
        tables=pipeline.tables,
        handlers=pipeline.handlers,
        metrics=ServiceMetrics("bench"),
        batch_size=int(os.environ.get("BENCH_CONSUMER_BATCH", "500")),
    )
    await consume_until_terminated(consumer, bus=bus, db=db)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
