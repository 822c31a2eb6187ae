"""Queries on offering categories."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.categories.models import OfferingCategory


async def get_all(session: AsyncSession, *, kind: str | None) -> Sequence[OfferingCategory]:
    query = sa.select(OfferingCategory).order_by(OfferingCategory.kind, OfferingCategory.code)
    if kind is not None:
        query = query.where(OfferingCategory.kind == kind)
    return (await session.scalars(query)).all()
