"""Queries on extension requests."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.extensions.models import ExtensionRequest


async def create(session: AsyncSession, *, request: ExtensionRequest) -> ExtensionRequest:
    session.add(request)
    await session.flush()
    return request


async def get(session: AsyncSession, *, report_id: str, extension_id: str) -> ExtensionRequest | None:
    request = await session.get(ExtensionRequest, extension_id)
    return request if request is not None and request.report_id == report_id else None


async def get_pending(session: AsyncSession, *, report_id: str) -> ExtensionRequest | None:
    query = sa.select(ExtensionRequest).where(
        ExtensionRequest.report_id == report_id, ExtensionRequest.status == "pending"
    )
    return (await session.scalars(query)).first()


async def get_all(session: AsyncSession, *, report_id: str) -> Sequence[ExtensionRequest]:
    query = (
        sa.select(ExtensionRequest)
        .where(ExtensionRequest.report_id == report_id)
        .order_by(ExtensionRequest.requested_at)
    )
    return (await session.scalars(query)).all()


async def get_all_pending(session: AsyncSession, *, limit: int) -> Sequence[ExtensionRequest]:
    """The IOC's queue: pending requests, oldest first."""
    query = (
        sa.select(ExtensionRequest)
        .where(ExtensionRequest.status == "pending")
        .order_by(ExtensionRequest.requested_at, ExtensionRequest.id)
        .limit(limit)
    )
    return (await session.scalars(query)).all()
