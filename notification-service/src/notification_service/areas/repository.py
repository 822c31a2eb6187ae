"""Queries on ward centres."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.areas.models import WardCentre


async def get_all(session: AsyncSession) -> Sequence[WardCentre]:
    return (await session.scalars(sa.select(WardCentre).order_by(WardCentre.ward_code))).all()


async def upsert(session: AsyncSession, *, centres: Sequence[WardCentre]) -> None:
    for centre in centres:
        await session.merge(centre)
    await session.flush()
