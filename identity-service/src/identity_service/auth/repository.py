"""Queries on login throttles."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.auth.models import LoginThrottle


async def get(session: AsyncSession, *, key: str) -> LoginThrottle | None:
    return (
        await session.scalars(sa.select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
    ).first()


async def create(session: AsyncSession, *, throttle: LoginThrottle) -> LoginThrottle:
    session.add(throttle)
    await session.flush()
    return throttle


async def delete(session: AsyncSession, *, key: str) -> None:
    await session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == key))
