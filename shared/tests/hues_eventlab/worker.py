"""The lab's consumer as its own OS process (the crash test kills it): `python worker.py DB_URL BOOTSTRAP`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hues_eventlab import app as lab
from hues_eventlab import pipeline
from hues_shared.db import Database
from hues_shared.testing.processes import consume_until_terminated


async def main(database_url: str, bootstrap: str) -> None:
    db = Database(database_url, source=f"/hues/{lab.SERVICE}", pool_size=4)
    bus = pipeline.kafka_bus(bootstrap, client_id="lab-worker")
    consumer = pipeline.consumer(db, bus, batch_size=25)
    await consume_until_terminated(consumer, bus=bus, db=db)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
