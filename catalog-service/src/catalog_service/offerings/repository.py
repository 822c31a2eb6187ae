"""Queries on offerings and their opening slots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.offerings.models import ExceptionDay, ExceptionSlot, Offering, OpeningSlot
from catalog_service.offerings.opening import DatedSlot, Slot


async def create(session: AsyncSession, *, offering: Offering) -> Offering:
    session.add(offering)
    await session.flush()
    return offering


async def get(session: AsyncSession, *, offering_id: str) -> Offering | None:
    return await session.get(Offering, offering_id)


async def get_for_update(session: AsyncSession, *, offering_id: str) -> Offering | None:
    """The offering row locked until the unit of work ends (rating aggregates, concurrent edits)."""
    query = sa.select(Offering).where(Offering.id == offering_id).with_for_update()
    return (await session.scalars(query)).first()


async def get_by_provider(
    session: AsyncSession,
    *,
    provider_id: str,
    statuses: Sequence[str] | None,
    after: tuple[str, str] | None,
    limit: int | None,
) -> Sequence[Offering]:
    query = sa.select(Offering).where(Offering.provider_id == provider_id)
    if statuses is not None:
        query = query.where(Offering.status.in_(statuses))
    if after is not None:
        query = query.where(sa.tuple_(Offering.title, Offering.id) > sa.tuple_(*after))
    query = query.order_by(Offering.title, Offering.id)
    return (await session.scalars(query if limit is None else query.limit(limit))).all()


async def replace_hours(
    session: AsyncSession,
    *,
    offering_id: str,
    slots: Sequence[Slot],
    exception_days: Sequence[date],
    exception_slots: Sequence[DatedSlot],
) -> None:
    """Rewrite the rows the open-now filter reads from the offering's hours."""
    for model in (OpeningSlot, ExceptionDay, ExceptionSlot):
        await session.execute(sa.delete(model).where(model.offering_id == offering_id))
    session.add_all(
        [
            OpeningSlot(
                offering_id=offering_id,
                weekday=s.weekday,
                start_minute=s.start,
                end_minute=s.end,
                spill=s.spill,
            )
            for s in slots
        ]
        + [ExceptionDay(offering_id=offering_id, on_date=d) for d in exception_days]
        + [
            ExceptionSlot(offering_id=offering_id, on_date=s.on_date, start_minute=s.start, end_minute=s.end)
            for s in exception_slots
        ]
    )
    await session.flush()


async def set_rating(session: AsyncSession, *, offering_id: str, count: int, total: int) -> None:
    await session.execute(
        sa.update(Offering).where(Offering.id == offering_id).values(rating_count=count, rating_sum=total)
    )
