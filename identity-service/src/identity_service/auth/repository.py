"""Queries on login throttles."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.auth.models import LoginThrottle


async def peek(session: AsyncSession, *, key: str) -> LoginThrottle | None:
    """Read without locking: the checks before a password is verified hold no lock during Argon2."""
    return (await session.scalars(sa.select(LoginThrottle).where(LoginThrottle.key == key))).first()


async def get(session: AsyncSession, *, key: str) -> LoginThrottle | None:
    """Read and lock; the row's current values replace any copy `peek` loaded earlier."""
    query = (
        sa.select(LoginThrottle)
        .where(LoginThrottle.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).first()


async def get_or_create(session: AsyncSession, *, key: str, now: datetime) -> LoginThrottle:
    """The row of `key`, locked; created if missing without failing when a parallel request creates it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    await session.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, window_started_at=now, locked_until=None)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    throttle = await get(session, key=key)
    assert throttle is not None
    return throttle


async def delete(session: AsyncSession, *, key: str) -> None:
    await session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == key))


async def delete_prefix(session: AsyncSession, *, prefix: str) -> None:
    await session.execute(
        sa.delete(LoginThrottle).where(LoginThrottle.key.startswith(prefix, autoescape=True))
    )
