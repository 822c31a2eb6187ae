"""Queries on daily usage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from integration_service.usage.models import DailyUsage


async def add_requests(
    session: AsyncSession, *, application_id: str, day: date, route: str, requests: int
) -> None:
    """Add to the day's count (row locked so two batches from two replicas add up)."""
    query = (
        sa.select(DailyUsage)
        .where(DailyUsage.application_id == application_id, DailyUsage.day == day, DailyUsage.route == route)
        .with_for_update()
    )
    row = (await session.scalars(query)).first()
    if row is None:
        session.add(DailyUsage(application_id=application_id, day=day, route=route, requests=requests))
    else:
        row.requests += requests
    await session.flush()


async def get_all(
    session: AsyncSession, *, application_id: str | None, since: date, until: date
) -> Sequence[DailyUsage]:
    query = sa.select(DailyUsage).where(DailyUsage.day >= since, DailyUsage.day <= until)
    if application_id is not None:
        query = query.where(DailyUsage.application_id == application_id)
    return (
        await session.scalars(query.order_by(DailyUsage.day, DailyUsage.application_id, DailyUsage.route))
    ).all()
