"""Queries on reviews and abuse reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.reviews.models import Review, ReviewReport


async def create(session: AsyncSession, *, review: Review) -> Review:
    session.add(review)
    await session.flush()
    return review


async def get(session: AsyncSession, *, review_id: str) -> Review | None:
    return await session.get(Review, review_id)


async def get_by_author(session: AsyncSession, *, offering_id: str, author_account_id: str) -> Review | None:
    query = sa.select(Review).where(
        Review.offering_id == offering_id, Review.author_account_id == author_account_id
    )
    return (await session.scalars(query)).first()


async def get_visible(
    session: AsyncSession, *, offering_id: str, before: tuple[str, str] | None, limit: int
) -> Sequence[Review]:
    """Newest first (by creation, then id)."""
    query = sa.select(Review).where(Review.offering_id == offering_id, Review.visible.is_(True))
    if before is not None:
        created, review_id = before
        query = query.where(
            sa.or_(
                Review.created_at < datetime.fromisoformat(created),
                sa.and_(Review.created_at == datetime.fromisoformat(created), Review.id < review_id),
            )
        )
    return (
        await session.scalars(query.order_by(Review.created_at.desc(), Review.id.desc()).limit(limit))
    ).all()


async def get_rating(session: AsyncSession, *, offering_id: str) -> tuple[int, int]:
    """(count, sum) of the offering's visible ratings."""
    query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Review.rating), 0)).where(
        Review.offering_id == offering_id, Review.visible.is_(True)
    )
    count, total = (await session.execute(query)).one()
    return int(count), int(total)


async def create_report(session: AsyncSession, *, report: ReviewReport) -> ReviewReport:
    session.add(report)
    await session.flush()
    return report


async def get_report(
    session: AsyncSession, *, review_id: str, reporter_account_id: str
) -> ReviewReport | None:
    query = sa.select(ReviewReport).where(
        ReviewReport.review_id == review_id, ReviewReport.reporter_account_id == reporter_account_id
    )
    return (await session.scalars(query)).first()


async def get_open_reports(
    session: AsyncSession, *, after: tuple[str, str] | None, limit: int
) -> Sequence[ReviewReport]:
    """Oldest open reports first (the IOC's queue)."""
    query = sa.select(ReviewReport).where(ReviewReport.resolved_at.is_(None))
    if after is not None:
        created, report_id = after
        query = query.where(
            sa.tuple_(ReviewReport.created_at, ReviewReport.id)
            > sa.tuple_(datetime.fromisoformat(created), report_id)
        )
    return (
        await session.scalars(query.order_by(ReviewReport.created_at, ReviewReport.id).limit(limit))
    ).all()


async def resolve_reports(session: AsyncSession, *, review_id: str, at: datetime) -> None:
    await session.execute(
        sa.update(ReviewReport)
        .where(ReviewReport.review_id == review_id, ReviewReport.resolved_at.is_(None))
        .values(resolved_at=at)
    )


async def delete_by_account(session: AsyncSession, *, account_id: str) -> list[str]:
    """Erase an account's reviews (with the reports on them) and reports; returns the offerings touched."""
    reviews = sa.select(Review.id).where(Review.author_account_id == account_id)
    offering_ids = list(
        (
            await session.scalars(sa.select(Review.offering_id).where(Review.author_account_id == account_id))
        ).all()
    )
    await session.execute(
        sa.delete(ReviewReport).where(
            sa.or_(ReviewReport.review_id.in_(reviews), ReviewReport.reporter_account_id == account_id)
        )
    )
    await session.execute(sa.delete(Review).where(Review.author_account_id == account_id))
    return offering_ids
