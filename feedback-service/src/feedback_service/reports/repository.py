"""Queries on reports, their timeline, followers and reporter look-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.reports.models import Report, ReporterLookup, ReportFollower, TimelineEntry


async def create(session: AsyncSession, *, report: Report) -> Report:
    session.add(report)
    await session.flush()
    return report


async def get(session: AsyncSession, *, report_id: str) -> Report | None:
    return await session.get(Report, report_id)


async def get_for_update(session: AsyncSession, *, report_id: str) -> Report | None:
    """The report row locked until the unit of work ends (PostgreSQL FOR UPDATE; SQLite serialises)."""
    query = (
        sa.select(Report)
        .where(Report.id == report_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).first()


async def add_timeline_entry(session: AsyncSession, *, entry: TimelineEntry) -> None:
    session.add(entry)
    await session.flush()


async def get_timeline(session: AsyncSession, *, report_id: str) -> Sequence[TimelineEntry]:
    query = sa.select(TimelineEntry).where(TimelineEntry.report_id == report_id).order_by(TimelineEntry.id)
    return (await session.scalars(query)).all()


async def get_timelines(session: AsyncSession, *, report_ids: Sequence[str]) -> Sequence[TimelineEntry]:
    if not report_ids:
        return []
    query = sa.select(TimelineEntry).where(TimelineEntry.report_id.in_(report_ids)).order_by(TimelineEntry.id)
    return (await session.scalars(query)).all()


async def get_follower_ids(session: AsyncSession, *, report_id: str) -> list[str]:
    query = sa.select(ReportFollower.account_id).where(ReportFollower.report_id == report_id)
    return sorted((await session.scalars(query)).all())


async def is_follower(session: AsyncSession, *, report_id: str, account_id: str) -> bool:
    return await session.get(ReportFollower, (report_id, account_id)) is not None


async def add_follower(session: AsyncSession, *, report_id: str, account_id: str) -> None:
    if await session.get(ReportFollower, (report_id, account_id)) is None:
        session.add(ReportFollower(report_id=report_id, account_id=account_id))
        await session.flush()


async def add_lookup(session: AsyncSession, *, lookup: ReporterLookup) -> None:
    session.add(lookup)
    await session.flush()


async def get_lookups(session: AsyncSession, *, report_id: str) -> Sequence[ReporterLookup]:
    query = sa.select(ReporterLookup).where(ReporterLookup.report_id == report_id).order_by(ReporterLookup.id)
    return (await session.scalars(query)).all()


def _after(query: sa.Select[Any], after: tuple[datetime, str] | None) -> sa.Select[Any]:
    if after is not None:
        query = query.where(sa.tuple_(Report.submitted_at, Report.id) < sa.tuple_(after[0], after[1]))
    return query.order_by(Report.submitted_at.desc(), Report.id.desc())


async def get_all_of_reporter(
    session: AsyncSession, *, account_id: str, after: tuple[datetime, str] | None, limit: int
) -> Sequence[Report]:
    query = _after(sa.select(Report).where(Report.reporter_account_id == account_id), after)
    return (await session.scalars(query.limit(limit))).all()


async def get_all_for_staff(
    session: AsyncSession,
    *,
    unit_ids: frozenset[str] | None,
    status: str | None,
    overdue: bool | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> Sequence[Report]:
    """Reports of `unit_ids` (None: every report, for the IOC), newest first."""
    query = sa.select(Report)
    if unit_ids is not None:
        query = query.where(Report.unit_id.in_(unit_ids))
    if status is not None:
        query = query.where(Report.status == status)
    if overdue is not None:
        query = query.where(Report.overdue.is_(overdue))
    return (await session.scalars(_after(query, after).limit(limit))).all()


async def get_recent_in_box(
    session: AsyncSession,
    *,
    category_code: str,
    since: datetime,
    south: float,
    west: float,
    north: float,
    east: float,
    exclude_statuses: Sequence[str],
    limit: int = 50,
) -> Sequence[Report]:
    """Candidates for duplicates: same category, recent, inside a box (the exact radius is checked after)."""
    query = (
        sa.select(Report)
        .where(
            Report.category_code == category_code,
            Report.submitted_at >= since,
            Report.latitude.between(south, north),
            Report.longitude.between(west, east),
            Report.status.not_in(exclude_statuses),
        )
        .order_by(Report.submitted_at.desc())
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def get_overdue_candidates(session: AsyncSession, *, now: datetime, limit: int) -> Sequence[Report]:
    """Reports whose deadline passed and that are not yet marked, locked, skipping rows others hold."""
    query = (
        sa.select(Report)
        .where(Report.due_at < now, Report.overdue.is_(False), Report.deadline_stage.is_not(None))
        .order_by(Report.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).all()


async def get_settled_candidates(
    session: AsyncSession, *, statuses: Sequence[str], before: datetime, limit: int
) -> Sequence[Report]:
    """Published or rated reports published before `before` (their reopening window has ended)."""
    query = (
        sa.select(Report)
        .where(Report.status.in_(statuses), Report.published_at < before)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).all()
