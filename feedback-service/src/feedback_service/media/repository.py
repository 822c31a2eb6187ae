"""Queries on report media."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.media.models import ReportMedia


async def create(session: AsyncSession, *, media: ReportMedia) -> ReportMedia:
    session.add(media)
    await session.flush()
    return media


async def get_all(
    session: AsyncSession, *, report_id: str, purpose: str | None = None
) -> Sequence[ReportMedia]:
    query = sa.select(ReportMedia).where(ReportMedia.report_id == report_id)
    if purpose is not None:
        query = query.where(ReportMedia.purpose == purpose)
    return (await session.scalars(query.order_by(ReportMedia.created_at, ReportMedia.id))).all()
