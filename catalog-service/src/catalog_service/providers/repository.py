"""Queries on providers."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.providers.models import Provider, ProviderStatus


async def create(session: AsyncSession, *, provider: Provider) -> Provider:
    session.add(provider)
    await session.flush()
    return provider


async def get(session: AsyncSession, *, provider_id: str) -> Provider | None:
    return await session.get(Provider, provider_id)


async def get_by_integration(session: AsyncSession, *, integration_id: str) -> Provider | None:
    query = sa.select(Provider).where(Provider.integration_id == integration_id)
    return (await session.scalars(query)).first()


async def get_by_owner(session: AsyncSession, *, owner_id: str, unit: bool) -> Provider | None:
    """The owner's oldest provider: by organization account, or (unit) an agency's with no owner account."""
    if unit:
        query = sa.select(Provider).where(Provider.unit_id == owner_id, Provider.owner_account_id.is_(None))
    else:
        query = sa.select(Provider).where(Provider.owner_account_id == owner_id)
    return (await session.scalars(query.order_by(Provider.created_at, Provider.id))).first()


async def get_all(
    session: AsyncSession, *, after: tuple[str, str] | None, limit: int, active_only: bool
) -> Sequence[Provider]:
    query = sa.select(Provider)
    if active_only:
        query = query.where(Provider.status == ProviderStatus.ACTIVE)
    if after is not None:
        query = query.where(sa.tuple_(Provider.name, Provider.id) > sa.tuple_(*after))
    return (await session.scalars(query.order_by(Provider.name, Provider.id).limit(limit))).all()


async def get_active_by_owner(session: AsyncSession, *, owner_account_id: str) -> Sequence[Provider]:
    query = sa.select(Provider).where(
        Provider.owner_account_id == owner_account_id, Provider.status == ProviderStatus.ACTIVE
    )
    return (await session.scalars(query)).all()
