"""Run a consumer as its own OS process (crash tests, benchmarks) until SIGTERM, then stop it cleanly."""

from __future__ import annotations

import asyncio
import signal

from hues_shared.db import Database
from hues_shared.events.bus import EventBus
from hues_shared.events.consumer import EventConsumer


async def consume_until_terminated(consumer: EventConsumer, *, bus: EventBus, db: Database) -> None:
    """Print `started` once the group is joined (the parent waits for it), then run until SIGTERM."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    consumer.start()
    await consumer.started.wait()
    print("started", flush=True)
    await stop.wait()
    await consumer.stop()
    await bus.stop()
    await db.dispose()
