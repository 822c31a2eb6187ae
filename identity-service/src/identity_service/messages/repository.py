"""Queries on outbound messages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.messages.models import OutboundMessage


async def create(session: AsyncSession, *, message: OutboundMessage) -> None:
    session.add(message)
    await session.flush()


async def get_for_update(session: AsyncSession, *, message_id: str) -> OutboundMessage | None:
    query = sa.select(OutboundMessage).where(OutboundMessage.id == message_id).with_for_update()
    return (await session.scalars(query)).first()


async def count_unsent(session: AsyncSession) -> int:
    query = sa.select(sa.func.count()).where(OutboundMessage.sent_at.is_(None))
    return int(await session.scalar(query) or 0)
