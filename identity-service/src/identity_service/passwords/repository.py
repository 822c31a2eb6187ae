"""Queries on password history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.passwords.models import PasswordHistoryEntry


async def create(session: AsyncSession, *, entry: PasswordHistoryEntry) -> None:
    session.add(entry)
    await session.flush()


async def get_all_hashes(session: AsyncSession, *, account_id: str) -> Sequence[str]:
    query = sa.select(PasswordHistoryEntry.password_hash).where(PasswordHistoryEntry.account_id == account_id)
    return (await session.scalars(query)).all()


async def get_all_dates(session: AsyncSession, *, account_id: str) -> Sequence[datetime]:
    query = sa.select(PasswordHistoryEntry.created_at).where(PasswordHistoryEntry.account_id == account_id)
    return (await session.scalars(query.order_by(PasswordHistoryEntry.created_at))).all()


async def delete_all(session: AsyncSession, *, account_id: str) -> None:
    await session.execute(
        sa.delete(PasswordHistoryEntry).where(PasswordHistoryEntry.account_id == account_id)
    )
