"""Queries on the unit projection."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.units.models import Unit

WARD_COMMITTEE = "ward_committee"  # identity's UnitKind for a ward/commune People's Committee


async def get(session: AsyncSession, *, unit_id: str) -> Unit | None:
    return await session.get(Unit, unit_id)


async def create(session: AsyncSession, *, unit: Unit) -> Unit:
    session.add(unit)
    await session.flush()
    return unit


async def get_all_active_in_ward(session: AsyncSession, *, ward_code: str) -> Sequence[Unit]:
    query = sa.select(Unit).where(Unit.ward_code == ward_code, Unit.active.is_(True)).order_by(Unit.code)
    return (await session.scalars(query)).all()


async def get_names(session: AsyncSession, *, unit_ids: set[str]) -> dict[str, str]:
    if not unit_ids:
        return {}
    rows = await session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))
    return {row.id: row.name for row in rows}


async def get_ward_committee(session: AsyncSession, *, ward_code: str) -> Unit | None:
    query = (
        sa.select(Unit)
        .where(Unit.ward_code == ward_code, Unit.kind == WARD_COMMITTEE, Unit.active.is_(True))
        .order_by(Unit.code)
        .limit(1)
    )
    return (await session.scalars(query)).first()
