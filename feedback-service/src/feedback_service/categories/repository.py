"""Queries on report categories."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.categories.models import ReportCategory


async def get_all_active(session: AsyncSession) -> Sequence[ReportCategory]:
    query = sa.select(ReportCategory).where(ReportCategory.active.is_(True)).order_by(ReportCategory.position)
    return (await session.scalars(query)).all()
