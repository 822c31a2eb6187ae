"""Queries on the account projection."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.recipients.models import Recipient, RecipientRole


async def get(session: AsyncSession, *, account_id: str) -> Recipient | None:
    return await session.get(Recipient, account_id)


async def get_or_create(session: AsyncSession, *, account_id: str) -> Recipient:
    recipient = await session.get(Recipient, account_id)
    if recipient is None:
        recipient = Recipient(account_id=account_id, kind="citizen", language="vi")
        session.add(recipient)
        await session.flush()
    return recipient


async def add_role(session: AsyncSession, *, account_id: str, role: str) -> None:
    if await session.get(RecipientRole, (account_id, role)) is None:
        session.add(RecipientRole(account_id=account_id, role=role))
        await session.flush()


async def delete_role(session: AsyncSession, *, account_id: str, role: str) -> None:
    await session.execute(
        sa.delete(RecipientRole).where(RecipientRole.account_id == account_id, RecipientRole.role == role)
    )


async def delete(session: AsyncSession, *, account_id: str) -> None:
    await session.execute(sa.delete(RecipientRole).where(RecipientRole.account_id == account_id))
    await session.execute(sa.delete(Recipient).where(Recipient.account_id == account_id))
