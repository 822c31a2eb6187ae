"""Queries on applications, their review history and conformance reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from integration_service.applications.models import Application, ApplicationReview, ConformanceReport


async def create(session: AsyncSession, *, application: Application) -> Application:
    session.add(application)
    await session.flush()
    return application


async def get(session: AsyncSession, *, application_id: str, for_update: bool = False) -> Application | None:
    if for_update:
        query = sa.select(Application).where(Application.id == application_id).with_for_update()
        return (await session.scalars(query)).first()
    return await session.get(Application, application_id)


async def get_all(
    session: AsyncSession,
    *,
    owner: tuple[str, str] | None,
    status: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> Sequence[Application]:
    """Newest first; `owner` None means every owner (reviewers)."""
    query = sa.select(Application)
    if owner is not None:
        query = query.where(Application.owner_kind == owner[0], Application.owner_id == owner[1])
    if status is not None:
        query = query.where(Application.status == status)
    if after is not None:
        query = query.where(sa.tuple_(Application.created_at, Application.id) < sa.tuple_(*after))
    query = query.order_by(Application.created_at.desc(), Application.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def add_review(session: AsyncSession, *, review: ApplicationReview) -> ApplicationReview:
    session.add(review)
    await session.flush()
    return review


async def get_reviews(session: AsyncSession, *, application_id: str) -> Sequence[ApplicationReview]:
    query = (
        sa.select(ApplicationReview)
        .where(ApplicationReview.application_id == application_id)
        .order_by(ApplicationReview.at, ApplicationReview.id)
    )
    return (await session.scalars(query)).all()


async def add_report(session: AsyncSession, *, report: ConformanceReport) -> ConformanceReport:
    session.add(report)
    await session.flush()
    return report


async def get_latest_report(session: AsyncSession, *, application_id: str) -> ConformanceReport | None:
    query = (
        sa.select(ConformanceReport)
        .where(ConformanceReport.application_id == application_id)
        .order_by(ConformanceReport.checked_at.desc())
        .limit(1)
    )
    return (await session.scalars(query)).first()
