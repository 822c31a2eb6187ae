"""Brute-force protection: count failures per key in a window, then lock the key for a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.types import utcnow
from identity_service.auth import repository
from identity_service.auth.models import LoginThrottle


async def locked_until(session: AsyncSession, *, key: str) -> datetime | None:
    throttle = await repository.get(session, key=key)
    if throttle is None or throttle.locked_until is None or throttle.locked_until <= utcnow():
        return None
    return throttle.locked_until


async def record_failure(
    session: AsyncSession, *, key: str, max_failures: int, window: timedelta, lockout: timedelta
) -> datetime | None:
    """Count one failure; returns the lock's end when this failure crossed the limit."""
    now = utcnow()
    throttle = await repository.get(session, key=key)
    if throttle is None:
        throttle = await repository.create(
            session, throttle=LoginThrottle(key=key, failures=0, window_started_at=now, locked_until=None)
        )
    if throttle.window_started_at + window <= now or (throttle.locked_until and throttle.locked_until <= now):
        throttle.failures, throttle.window_started_at, throttle.locked_until = 0, now, None
    throttle.failures += 1
    if throttle.failures >= max_failures and throttle.locked_until is None:
        throttle.locked_until = now + lockout
        return throttle.locked_until
    return None


async def clear(session: AsyncSession, *, key: str) -> None:
    await repository.delete(session, key=key)
