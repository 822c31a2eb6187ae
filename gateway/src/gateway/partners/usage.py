"""Counting partner calls per application and route (Art. 15.3), published in batches, not per request.

Published straight to the bus every flush interval (the gateway has no outbox): a crash loses at most one
interval of counts, which monitoring tolerates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import Counter
from datetime import datetime

from hues_shared.contracts.gateway import PartnerUsageRecorded, RouteUsage
from hues_shared.events.bus import EventBus
from hues_shared.events.outbox import envelope_for
from hues_shared.types import utcnow

logger = logging.getLogger(__name__)


class UsageMeter:
    def __init__(self, *, instance: str, flush_seconds: float) -> None:
        self.instance = instance
        self.flush_seconds = flush_seconds
        self._counts: Counter[tuple[str, str]] = Counter()
        self._since: datetime = utcnow()
        self._task: asyncio.Task[None] | None = None
        self._bus: EventBus | None = None

    def count(self, application_id: str, route: str) -> None:
        self._counts[(application_id, route)] += 1

    async def flush(self) -> PartnerUsageRecorded | None:
        """Publish what was counted since the last flush (nothing when nothing was counted)."""
        if not self._counts or self._bus is None:
            return None
        counts, self._counts = self._counts, Counter()
        start, self._since = self._since, utcnow()
        event = PartnerUsageRecorded(
            batch_id=str(uuid.uuid4()),
            gateway_instance=self.instance,
            window_start=start,
            window_end=self._since,
            counts=[
                RouteUsage(application_id=a, route=r, requests=n) for (a, r), n in sorted(counts.items())
            ],
        )
        try:
            await self._bus.publish([envelope_for(event, source="/hues/gateway")])
        except Exception as exc:
            self._counts.update(counts)  # keep them for the next round
            logger.warning("usage batch not published; kept for the next round", extra={"error": repr(exc)})
            return None
        return event

    async def start(self, bus: EventBus) -> None:
        self._bus = bus
        self._task = asyncio.create_task(self._run(), name="partner-usage")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await self.flush()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.flush_seconds)
            await self.flush()
