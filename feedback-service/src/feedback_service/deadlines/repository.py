"""Queries on calendar overrides."""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.deadlines.models import CalendarOverride


async def get_all(session: AsyncSession) -> Sequence[CalendarOverride]:
    return (await session.scalars(sa.select(CalendarOverride).order_by(CalendarOverride.day))).all()


async def get(session: AsyncSession, *, day: date) -> CalendarOverride | None:
    return await session.get(CalendarOverride, day)


async def create(session: AsyncSession, *, override: CalendarOverride) -> CalendarOverride:
    session.add(override)
    await session.flush()
    return override


async def delete(session: AsyncSession, *, day: date) -> bool:
    result = await session.execute(sa.delete(CalendarOverride).where(CalendarOverride.day == day))
    return bool(getattr(result, "rowcount", 0))
