"""Queries on inbox messages (the only place that touches the table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.inbox.models import InboxMessage


async def create(session: AsyncSession, *, message: InboxMessage) -> InboxMessage:
    session.add(message)
    await session.flush()
    return message


async def get_all_for_account(
    session: AsyncSession, *, account_id: str, before: tuple[datetime, str] | None, limit: int
) -> Sequence[InboxMessage]:
    query = sa.select(InboxMessage).where(InboxMessage.account_id == account_id)
    if before is not None:
        created_at, message_id = before
        query = query.where(
            sa.or_(
                InboxMessage.created_at < created_at,
                sa.and_(InboxMessage.created_at == created_at, InboxMessage.id < message_id),
            )
        )
    query = query.order_by(InboxMessage.created_at.desc(), InboxMessage.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def delete_all_for_account(session: AsyncSession, *, account_id: str) -> int:
    result = await session.execute(sa.delete(InboxMessage).where(InboxMessage.account_id == account_id))
    return int(getattr(result, "rowcount", 0) or 0)
