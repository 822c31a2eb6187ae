"""Queries on the audit log."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.audit.models import AuditEvent


async def create(session: AsyncSession, *, event: AuditEvent) -> None:
    session.add(event)
    await session.flush()


async def get_all(
    session: AsyncSession,
    *,
    subject_account_id: str | None,
    action: str | None,
    before_id: int | None,
    limit: int,
) -> Sequence[AuditEvent]:
    query = sa.select(AuditEvent)
    if subject_account_id:
        query = query.where(AuditEvent.subject_account_id == subject_account_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return (await session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit))).all()
