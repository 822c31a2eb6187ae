"""Queries on wards."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.wards.models import AdministrativeWard


async def get_all(session: AsyncSession) -> Sequence[AdministrativeWard]:
    return (await session.scalars(sa.select(AdministrativeWard).order_by(AdministrativeWard.code))).all()


async def get(session: AsyncSession, *, code: str) -> AdministrativeWard | None:
    return await session.get(AdministrativeWard, code)
