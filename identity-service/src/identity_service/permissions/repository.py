"""Queries on function permission grants."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.permissions.models import PermissionGrant


async def create(session: AsyncSession, *, grant: PermissionGrant) -> None:
    session.add(grant)
    await session.flush()


async def get(
    session: AsyncSession, *, account_id: str, permission: str, unit_key: str
) -> PermissionGrant | None:
    query = sa.select(PermissionGrant).where(
        PermissionGrant.account_id == account_id,
        PermissionGrant.permission == permission,
        PermissionGrant.unit_key == unit_key,
    )
    return (await session.scalars(query)).first()


async def get_all(session: AsyncSession, *, account_id: str) -> Sequence[PermissionGrant]:
    query = sa.select(PermissionGrant).where(PermissionGrant.account_id == account_id)
    return (await session.scalars(query.order_by(PermissionGrant.permission))).all()


async def get_codes_in_scope(session: AsyncSession, *, account_id: str, unit_id: str | None) -> list[str]:
    """Codes granted account-wide or within the account's own unit (what its token carries)."""
    scope: list[sa.ColumnElement[bool]] = [PermissionGrant.unit_id.is_(None)]
    if unit_id is not None:
        scope.append(PermissionGrant.unit_id == unit_id)
    query = sa.select(PermissionGrant.permission).where(
        PermissionGrant.account_id == account_id, sa.or_(*scope)
    )
    return sorted(set((await session.scalars(query)).all()))


async def delete(session: AsyncSession, *, grant: PermissionGrant) -> None:
    await session.delete(grant)
    await session.flush()


async def delete_all(session: AsyncSession, *, account_id: str) -> None:
    await session.execute(sa.delete(PermissionGrant).where(PermissionGrant.account_id == account_id))
