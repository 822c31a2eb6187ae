"""Queries on connection standard versions."""

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from integration_service.standard.models import ConnectionStandard


async def get_latest(session: AsyncSession) -> ConnectionStandard | None:
    query = sa.select(ConnectionStandard).order_by(ConnectionStandard.published_at.desc()).limit(1)
    return (await session.scalars(query)).first()


async def get(session: AsyncSession, *, version: str) -> ConnectionStandard | None:
    return await session.get(ConnectionStandard, version)
