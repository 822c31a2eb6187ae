"""Queries on one-time-code challenges."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.verification.models import OtpChallenge


async def create(session: AsyncSession, *, challenge: OtpChallenge) -> OtpChallenge:
    session.add(challenge)
    await session.flush()
    return challenge


async def get_latest(session: AsyncSession, *, account_id: str, purpose: str) -> OtpChallenge | None:
    query = (
        sa.select(OtpChallenge)
        .where(OtpChallenge.account_id == account_id, OtpChallenge.purpose == purpose)
        .order_by(OtpChallenge.created_at.desc())
    )
    return (await session.scalars(query.limit(1))).first()


async def get_latest_for_update(
    session: AsyncSession, *, account_id: str, purpose: str
) -> OtpChallenge | None:
    """The latest challenge, row-locked: concurrent guesses queue, so each wrong one is counted."""
    query = (
        sa.select(OtpChallenge)
        .where(OtpChallenge.account_id == account_id, OtpChallenge.purpose == purpose)
        .order_by(OtpChallenge.created_at.desc())
        .limit(1)
        .with_for_update()
    )
    return (await session.scalars(query)).first()


async def count_since(session: AsyncSession, *, account_id: str, since: datetime) -> int:
    query = sa.select(sa.func.count()).where(
        OtpChallenge.account_id == account_id, OtpChallenge.created_at >= since
    )
    return int(await session.scalar(query) or 0)


async def expire_open(session: AsyncSession, *, account_id: str, purpose: str, now: datetime) -> None:
    """A new code replaces the earlier ones."""
    await session.execute(
        sa.update(OtpChallenge)
        .where(
            OtpChallenge.account_id == account_id,
            OtpChallenge.purpose == purpose,
            OtpChallenge.consumed_at.is_(None),
            OtpChallenge.expires_at > now,
        )
        .values(expires_at=now)
    )


async def spend_attempt(session: AsyncSession, *, challenge_id: str, max_attempts: int) -> bool:
    """Count one attempt unless the limit is reached, in one conditional UPDATE (no lost updates when
    parallel requests guess at once; issue 7, item 8). False when no attempt was left."""
    result = await session.execute(
        sa.update(OtpChallenge)
        .where(OtpChallenge.id == challenge_id, OtpChallenge.attempts < max_attempts)
        .values(attempts=OtpChallenge.attempts + 1)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))


async def consume(session: AsyncSession, *, challenge_id: str, now: datetime) -> bool:
    """Spend the code once: False when a parallel request already did."""
    result = await session.execute(
        sa.update(OtpChallenge)
        .where(OtpChallenge.id == challenge_id, OtpChallenge.consumed_at.is_(None))
        .values(consumed_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))
