"""Queries on consents."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from integration_service.consents.models import Consent


async def add(session: AsyncSession, *, consent: Consent) -> None:
    session.add(consent)
    await session.flush()


async def get(session: AsyncSession, *, consent_id: str) -> Consent | None:
    return await session.get(Consent, consent_id)


async def get_all(session: AsyncSession, *, account_id: str) -> Sequence[Consent]:
    query = sa.select(Consent).where(Consent.account_id == account_id).order_by(Consent.granted_at.desc())
    return (await session.scalars(query)).all()


async def get_active(
    session: AsyncSession, *, account_id: str, application_id: str | None = None
) -> Sequence[Consent]:
    query = sa.select(Consent).where(Consent.account_id == account_id, Consent.revoked_at.is_(None))
    if application_id is not None:
        query = query.where(Consent.application_id == application_id)
    return (await session.scalars(query)).all()
