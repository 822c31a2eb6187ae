"""Consume integration-service's application and credential events into the partner registry.

Each replica has its own consumer group and reads these topics from the beginning (Kafka groups start at
`earliest`), so a new replica rebuilds the registry; the topics are kept compacted/long-retained for that
(docs/integration.md). Suspension and key revocation reach every replica within a fetch interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from gateway.partners.registry import PartnerRegistry
from hues_shared.contracts.integration import APPLICATION_TOPIC, CREDENTIAL_TOPIC
from hues_shared.events.bus import EventBus, Subscription
from hues_shared.events.contracts import decode
from hues_shared.events.envelope import EventEnvelope

logger = logging.getLogger(__name__)


class PartnerListener:
    def __init__(
        self, *, bus: EventBus, group: str, registry: PartnerRegistry, fetch_timeout: float = 0.5
    ) -> None:
        self.bus = bus
        self.group = group
        self.registry = registry
        self.fetch_timeout = fetch_timeout
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self, *, wait_seconds: float = 10.0) -> None:
        """Subscribe now (nothing published from here on is missed); connect in the background."""
        self._subscription = self.bus.subscribe(
            group=self.group, topics=[APPLICATION_TOPIC, CREDENTIAL_TOPIC]
        )
        self._task = asyncio.create_task(self._run(), name=f"partners-{self.group}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=wait_seconds)

    async def ping(self) -> None:
        if not self._ready.is_set():
            raise ConnectionError("partner registry consumer not running")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.stop()

    async def _run(self) -> None:
        subscription = self._subscription
        assert subscription is not None
        backoff = 0.2
        while True:
            try:
                await subscription.start()
                break
            except Exception as exc:
                logger.warning("partner consumer cannot subscribe yet; retrying", extra={"error": repr(exc)})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
        self._ready.set()
        backoff = 0.2
        while True:
            try:
                deliveries = await subscription.fetch(max_records=500, timeout=self.fetch_timeout)
                for delivery in deliveries:
                    if delivery.envelope is not None:
                        self.apply(delivery.envelope)
                if deliveries:
                    await subscription.commit(deliveries)
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("partner consumer failed; retrying", extra={"error": repr(exc)})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    def apply(self, envelope: EventEnvelope) -> None:
        """Apply one event; other or undecodable events are skipped (the stream must move on)."""
        try:
            event = decode(envelope.type, envelope.data)
        except LookupError:
            return
        except Exception as exc:
            logger.warning(
                "undecodable integration event skipped", extra={"type": envelope.type, "error": repr(exc)}
            )
            return
        self.registry.apply(event)
