"""Queries of the public feed and the per-unit statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.monitoring.models import UnitDailyStatistics
from feedback_service.reports.models import Report

COUNTERS = (
    "received",
    "accepted",
    "handled",
    "handled_on_time",
    "handling_hours_total",
    "rated",
    "satisfied",
)


@dataclass(frozen=True)
class FeedFilter:
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east
    ward_code: str | None = None
    category_code: str | None = None
    status: str | None = None
    published_from: datetime | None = None
    published_to: datetime | None = None


def _feed_query(columns: Any, feed: FeedFilter) -> sa.Select[Any]:
    query = sa.select(columns).where(Report.is_public.is_(True), Report.published_at.is_not(None))
    if feed.bbox is not None:
        south, west, north, east = feed.bbox
        query = query.where(Report.latitude.between(south, north), Report.longitude.between(west, east))
    if feed.ward_code is not None:
        query = query.where(Report.ward_code == feed.ward_code)
    if feed.category_code is not None:
        query = query.where(Report.category_code == feed.category_code)
    if feed.status is not None:
        query = query.where(Report.status == feed.status)
    if feed.published_from is not None:
        query = query.where(Report.published_at >= feed.published_from)
    if feed.published_to is not None:
        query = query.where(Report.published_at < feed.published_to)
    return query


async def get_feed(
    session: AsyncSession, *, feed: FeedFilter, after: tuple[datetime, str] | None, limit: int
) -> Sequence[Report]:
    query = _feed_query(Report, feed)
    if after is not None:
        query = query.where(sa.tuple_(Report.published_at, Report.id) < sa.tuple_(after[0], after[1]))
    query = query.order_by(Report.published_at.desc(), Report.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def get_public(session: AsyncSession, *, report_id: str) -> Report | None:
    query = _feed_query(Report, FeedFilter()).where(Report.id == report_id)
    return (await session.scalars(query)).first()


async def get_map_points(session: AsyncSession, *, feed: FeedFilter, limit: int) -> Sequence[Any]:
    columns = (Report.id, Report.category_code, Report.status, Report.latitude, Report.longitude)
    query = _feed_query(columns[0], feed).add_columns(*columns[1:])
    query = query.order_by(Report.published_at.desc()).limit(limit)
    return (await session.execute(query)).all()


async def add_to_day(session: AsyncSession, *, unit_id: str, day: date, **increments: float) -> None:
    """Add to one unit's counters of one day (row created on first use; increments are atomic)."""
    if await session.get(UnitDailyStatistics, (unit_id, day)) is None:
        session.add(UnitDailyStatistics(unit_id=unit_id, day=day, **dict.fromkeys(COUNTERS, 0)))
        await session.flush()
    table = UnitDailyStatistics.__table__
    values = {name: table.c[name] + amount for name, amount in increments.items()}
    await session.execute(
        sa.update(UnitDailyStatistics)
        .where(UnitDailyStatistics.unit_id == unit_id, UnitDailyStatistics.day == day)
        .values(values)
        .execution_options(synchronize_session=False)
    )


async def get_totals(
    session: AsyncSession, *, first_day: date, last_day: date, unit_id: str | None
) -> Sequence[Any]:
    """Sums per unit over [first_day, last_day]."""
    query = sa.select(
        UnitDailyStatistics.unit_id,
        *[sa.func.sum(getattr(UnitDailyStatistics, c)).label(c) for c in COUNTERS],
    ).where(UnitDailyStatistics.day.between(first_day, last_day))
    if unit_id is not None:
        query = query.where(UnitDailyStatistics.unit_id == unit_id)
    query = query.group_by(UnitDailyStatistics.unit_id).order_by(UnitDailyStatistics.unit_id)
    return (await session.execute(query)).all()
