"""Consume identity's security events into the denylist; every replica has its own consumer group."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable
from datetime import datetime

from gateway.ops.metrics import GatewayMetrics
from gateway.revocation.denylist import Denylist
from gateway.revocation.store import RedisRevocationStore
from hues_shared.contracts.identity import (
    ACCOUNT_TOPIC,
    AccountClosed,
    AccountLocked,
    AccountUnlocked,
    PasswordChanged,
    PermissionRevoked,
    RoleRevoked,
    SessionRevoked,
)
from hues_shared.events.bus import EventBus, Subscription
from hues_shared.events.contracts import EventContract, decode
from hues_shared.events.envelope import EventEnvelope

logger = logging.getLogger(__name__)
HANDLED = frozenset(
    c.event_type
    for c in (
        AccountLocked,
        AccountClosed,
        AccountUnlocked,
        PasswordChanged,
        SessionRevoked,
        PermissionRevoked,
        RoleRevoked,
    )
)


class RevocationListener:
    """Keeps the denylist current within a fetch interval of identity publishing the event."""

    def __init__(
        self,
        *,
        bus: EventBus,
        group: str,
        denylist: Denylist,
        metrics: GatewayMetrics,
        store: RedisRevocationStore | None = None,
        fetch_timeout: float = 0.5,
    ) -> None:
        self.bus = bus
        self.group = group
        self.denylist = denylist
        self.metrics = metrics
        self.store = store
        self.fetch_timeout = fetch_timeout
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self, *, wait_seconds: float = 10.0) -> None:
        """Subscribe at once (nothing published from now on is missed), then connect in the background;
        waits up to `wait_seconds` so revocations are live before traffic, but never blocks start-up on Kafka
        (/readyz answers 503 until the consumer runs)."""
        self._subscription = self.bus.subscribe(group=self.group, topics=[ACCOUNT_TOPIC])
        self._task = asyncio.create_task(self._run(), name=f"revocations-{self.group}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=wait_seconds)

    async def ping(self) -> None:
        if not self._ready.is_set():
            raise ConnectionError("revocation consumer not running")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.stop()

    async def _connect(self, subscription: Subscription) -> None:
        backoff = 0.2
        while True:
            try:
                await subscription.start()
                break
            except Exception as exc:
                logger.warning(
                    "revocation consumer cannot subscribe yet; retrying", extra={"error": repr(exc)}
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
        if self.store is not None:
            try:
                loaded = await self.store.load_into(self.denylist)
                logger.info("denylist loaded from redis", extra={"entries": loaded})
            except Exception as exc:
                logger.warning("could not load the denylist from redis", extra={"error": repr(exc)})
        self._ready.set()

    async def _run(self) -> None:
        subscription = self._subscription
        assert subscription is not None
        await self._connect(subscription)
        last_purge = time.monotonic()
        backoff = 0.2
        while True:
            try:
                deliveries = await subscription.fetch(max_records=500, timeout=self.fetch_timeout)
                for delivery in deliveries:
                    if delivery.envelope is not None:
                        await self.apply(delivery.envelope)
                if deliveries:
                    await subscription.commit(deliveries)
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("revocation consumer failed; retrying", extra={"error": repr(exc)})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            if time.monotonic() - last_purge > 30:
                self.denylist.purge()
                last_purge = time.monotonic()
            self.metrics.denylist_size.set(len(self.denylist))

    async def apply(self, envelope: EventEnvelope) -> None:
        """Apply one event; unknown or undecodable events are skipped (logged): the stream must move on."""
        if envelope.type not in HANDLED:
            return
        try:
            event = decode(envelope.type, envelope.data)
        except Exception as exc:
            logger.warning(
                "undecodable identity event skipped", extra={"type": envelope.type, "error": repr(exc)}
            )
            return
        await self._apply(event)
        self.metrics.revocations.labels(envelope.type).inc()

    async def _apply(self, event: EventContract) -> None:
        match event:
            case (
                AccountLocked(account_id=account, locked_at=at)
                | AccountClosed(account_id=account, closed_at=at)
            ):
                await self._refuse_before(account, at, same_second=True)
            case SessionRevoked(session_id=str() as sid, revoked_at=at):
                forget_at = self.denylist.revoke_session(sid, at=at)
                if self.store is not None:
                    await self._mirror(self.store.save_session(sid, forget_at))
            case SessionRevoked(account_id=account, revoked_at=at):
                await self._refuse_before(account, at, same_second=False)
            case PasswordChanged(account_id=account, changed_at=at):
                await self._refuse_before(account, at, same_second=False)
            case (
                PermissionRevoked(account_id=account, revoked_at=at)
                | RoleRevoked(account_id=account, revoked_at=at)
            ):
                await self._refuse_before(account, at, same_second=False)
            case AccountUnlocked():
                # Tokens issued before the lock stay refused (their "not before" stands); new logins pass.
                return

    async def _refuse_before(self, account_id: str, at: datetime, *, same_second: bool) -> None:
        threshold, forget_at = self.denylist.refuse_issued_before(account_id, at=at, same_second=same_second)
        if self.store is not None:
            await self._mirror(self.store.save_not_before(account_id, threshold, forget_at))

    async def _mirror(self, write: Awaitable[None]) -> None:
        """Redis is a convenience for new replicas; this replica's memory already holds the entry."""
        try:
            await write
        except Exception as exc:
            logger.warning("could not mirror a revocation to redis", extra={"error": repr(exc)})
