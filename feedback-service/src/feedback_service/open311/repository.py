"""Queries of the Open311 view: public reports, never merged ones."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.reports.models import Report
from hues_shared.contracts.feedback import ReportStatus


def _public() -> sa.Select[Any]:
    return sa.select(Report).where(Report.is_public.is_(True), Report.status != ReportStatus.MERGED)


async def get_public_by_ids(session: AsyncSession, *, ids: list[str]) -> Sequence[Report]:
    return (await session.scalars(_public().where(Report.id.in_(ids)).order_by(Report.submitted_at))).all()


async def get_public(
    session: AsyncSession, *, service_codes: list[str] | None, start: datetime, end: datetime, limit: int
) -> Sequence[Report]:
    query = _public().where(Report.submitted_at >= start, Report.submitted_at <= end)
    if service_codes:
        query = query.where(Report.category_code.in_(service_codes))
    return (await session.scalars(query.order_by(Report.submitted_at.desc()).limit(limit))).all()
