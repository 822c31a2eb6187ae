"""Queries on signing keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.signing_keys.models import SigningKey


async def create(session: AsyncSession, *, key: SigningKey) -> SigningKey:
    session.add(key)
    await session.flush()
    return key


async def get_active(session: AsyncSession) -> SigningKey | None:
    query = (
        sa.select(SigningKey).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.created_at.desc())
    )
    return (await session.scalars(query.limit(1))).first()


async def get_all_active(session: AsyncSession) -> Sequence[SigningKey]:
    return (await session.scalars(sa.select(SigningKey).where(SigningKey.retired_at.is_(None)))).all()


async def get_all_published(session: AsyncSession, *, now: datetime) -> Sequence[SigningKey]:
    """Keys still signing, or retired but with tokens that may not have expired yet."""
    query = sa.select(SigningKey).where(
        sa.or_(SigningKey.publish_until.is_(None), SigningKey.publish_until > now)
    )
    return (await session.scalars(query.order_by(SigningKey.created_at))).all()
