"""Queries on units."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.units.models import Unit


async def create(session: AsyncSession, *, unit: Unit) -> Unit:
    session.add(unit)
    await session.flush()
    return unit


async def get(session: AsyncSession, *, unit_id: str) -> Unit | None:
    return await session.get(Unit, unit_id)


async def get_by_code(session: AsyncSession, *, code: str) -> Unit | None:
    return (await session.scalars(sa.select(Unit).where(Unit.code == code))).first()


async def get_all(session: AsyncSession, *, after_code: str | None, limit: int) -> Sequence[Unit]:
    query = sa.select(Unit)
    if after_code:
        query = query.where(Unit.code > after_code)
    return (await session.scalars(query.order_by(Unit.code).limit(limit))).all()
