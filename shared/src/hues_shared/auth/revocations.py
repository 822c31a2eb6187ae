"""Refuse tokens identity revoked before they expire, in the gateway and in every service (issue 7, item 10).

Identity publishes its security events (logout, logout everywhere, refresh-token reuse, lock, close, password
change, role or permission revoked) on its account topic. Every process (each gateway replica, each
service) reads that topic into its own in-memory denylist (see `revocation_feeds` for how), so a path
around the gateway is not a path around logout. A token is refused once the event reached the process
(typically well under a second).

Freshness (issue 8, item 10): the listener knows when it last heard from the bus and how far behind it is.
It is *current* while it has caught up with what existed at start and its last contact is younger than
`max_staleness_seconds`. Readiness (/readyz) fails while it is not current; what token checks do then is
the `fail_mode` setting: "open" accepts tokens on the denylist as it stands (a revoked token may work for
at most its remaining lifetime), "closed" answers 503 to every call that presents a token.
docs/security.md discusses the choice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Mapping
from datetime import datetime
from typing import Any, Literal, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge

from hues_shared.auth.denylist import Denylist
from hues_shared.auth.revocation_feeds import RevocationFeed
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
from hues_shared.events.contracts import EventContract, decode
from hues_shared.events.envelope import EventEnvelope
from hues_shared.problems import ServiceUnavailable

logger = logging.getLogger(__name__)
FailMode = Literal["open", "closed"]
TOPIC = ACCOUNT_TOPIC
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


class RevocationMirror(Protocol):
    """Optional copy of the denylist elsewhere (the gateway's Redis), loaded at start."""

    async def save_session(self, session_id: str, forget_at: float) -> None: ...
    async def save_not_before(self, account_id: str, threshold: int, forget_at: float) -> None: ...
    async def load_into(self, denylist: Denylist) -> int: ...


class TokenRevoked(Exception):
    """The token's session or account was revoked; `reason` is session-revoked or token-revoked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Metrics:
    def __init__(self, registry: CollectorRegistry | None) -> None:
        self.applied = Counter(
            "revocations_applied_total", "Identity security events applied", ["type"], registry=registry
        )
        self.entries = Gauge(
            "revocation_denylist_entries", "Entries in the token denylist", registry=registry
        )
        self.contact_age = Gauge(
            "revocation_contact_age_seconds",
            "Seconds since the revocation listener last heard from the bus",
            registry=registry,
        )
        self.lag = Gauge(
            "revocation_lag_events", "Revocation events published but not read yet", registry=registry
        )
        self.current = Gauge(
            "revocation_current",
            "1 while the denylist is current (caught up, fresh contact)",
            registry=registry,
        )


class RevocationListener:
    def __init__(
        self,
        *,
        feed: RevocationFeed,
        denylist: Denylist,
        registry: CollectorRegistry | None = None,
        mirror: RevocationMirror | None = None,
        fail_mode: FailMode = "open",
        max_staleness_seconds: float = 15.0,
        probe_interval_seconds: float = 1.0,
        fetch_timeout: float = 0.5,
    ) -> None:
        self.feed = feed
        self.denylist = denylist
        self.mirror = mirror
        self.fail_mode = fail_mode
        self.max_staleness_seconds = max_staleness_seconds
        self.probe_interval_seconds = probe_interval_seconds
        self.fetch_timeout = fetch_timeout
        self.metrics = _Metrics(registry)
        self._task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._last_contact: float | None = None  # monotonic
        self._became_current = asyncio.Event()
        self.lag = 0

    # ------------------------------------------------------------------ checks
    def check(self, claims: Mapping[str, Any]) -> None:
        """Raise TokenRevoked for a revoked token, ServiceUnavailable when not current and failing closed."""
        if self.fail_mode == "closed" and not self.current:
            raise ServiceUnavailable(
                "Token revocations cannot be confirmed right now; retry shortly.",
                slug="revocations-unavailable",
                headers={"Retry-After": "5"},
            )
        reason = self.denylist.refusal(claims)
        if reason is not None:
            raise TokenRevoked(reason)

    @property
    def contact_age(self) -> float | None:
        return None if self._last_contact is None else time.monotonic() - self._last_contact

    @property
    def current(self) -> bool:
        age = self.contact_age
        return (
            self._connected.is_set()
            and self.feed.caught_up
            and age is not None
            and age <= self.max_staleness_seconds
        )

    async def ping(self) -> None:
        """For /readyz: raise while the denylist is not current."""
        if not self._connected.is_set():
            raise ConnectionError("revocation listener not connected")
        if not self.feed.caught_up:
            raise ConnectionError(f"revocation listener catching up ({self.lag} events behind)")
        age = self.contact_age
        if age is None or age > self.max_staleness_seconds:
            raise ConnectionError(f"revocation listener silent for {age or 0:.1f} s")

    # ------------------------------------------------------------------ lifecycle
    async def start(self, *, wait_seconds: float = 0.0) -> None:
        """Start reading in the background; wait up to `wait_seconds` for it to be current."""
        self._task = asyncio.create_task(self._run(), name="revocations")
        if wait_seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._became_current.wait(), timeout=wait_seconds)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._connected.clear()
        await self.feed.stop()

    async def _connect(self) -> None:
        backoff = 0.2
        while True:
            try:
                await self.feed.start()
                break
            except Exception as exc:
                logger.warning("revocation listener cannot connect yet; retrying", extra={"error": repr(exc)})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
        if self.mirror is not None:
            try:
                loaded = await self.mirror.load_into(self.denylist)
                logger.info("denylist loaded from the mirror", extra={"entries": loaded})
            except Exception as exc:
                logger.warning("could not load the denylist from the mirror", extra={"error": repr(exc)})
        self._connected.set()

    async def _run(self) -> None:
        await self._connect()
        last_probe = last_purge = 0.0
        backoff = 0.2
        while True:
            try:
                if time.monotonic() - last_probe >= self.probe_interval_seconds:
                    self.lag = await asyncio.wait_for(self.feed.probe(), timeout=5.0)
                    self._last_contact = last_probe = time.monotonic()
                    self._report()
                    if self.current:
                        self._became_current.set()
                for envelope in await self.feed.fetch(timeout=self.fetch_timeout):
                    await self.apply(envelope)
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                last_probe = 0.0
                logger.warning("revocation listener failed; retrying", extra={"error": repr(exc)})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            if time.monotonic() - last_purge > 30:
                self.denylist.purge()
                last_purge = time.monotonic()
            self._report()

    def _report(self) -> None:
        self.metrics.lag.set(self.lag)
        self.metrics.entries.set(len(self.denylist))
        self.metrics.contact_age.set(self.contact_age or 0.0)
        self.metrics.current.set(1 if self.current else 0)

    # ------------------------------------------------------------------ events
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
        self.metrics.applied.labels(envelope.type).inc()

    async def _apply(self, event: EventContract) -> None:
        match event:
            case (
                AccountLocked(account_id=account, locked_at=at)
                | AccountClosed(account_id=account, closed_at=at)
            ):
                await self._refuse_before(account, at, same_second=True)
            case SessionRevoked(session_id=str() as sid, revoked_at=at):
                forget_at = self.denylist.revoke_session(sid, at=at)
                if self.mirror is not None:
                    await self._mirror(self.mirror.save_session(sid, forget_at))
            case (
                SessionRevoked(account_id=account, revoked_at=at)
                | PasswordChanged(account_id=account, changed_at=at)
                | PermissionRevoked(account_id=account, revoked_at=at)
                | RoleRevoked(account_id=account, revoked_at=at)
            ):
                await self._refuse_before(account, at, same_second=False)
            case AccountUnlocked():
                # Tokens issued before the lock stay refused (their "not before" stands); new logins pass.
                return

    async def _refuse_before(self, account_id: str, at: datetime, *, same_second: bool) -> None:
        threshold, forget_at = self.denylist.refuse_issued_before(account_id, at=at, same_second=same_second)
        if self.mirror is not None:
            await self._mirror(self.mirror.save_not_before(account_id, threshold, forget_at))

    async def _mirror(self, write: Awaitable[None]) -> None:
        """The mirror is a convenience for new replicas; this process's memory already holds the entry."""
        try:
            await write
        except Exception as exc:
            logger.warning("could not mirror a revocation", extra={"error": repr(exc)})
