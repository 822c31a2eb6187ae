"""Queries on function permission grants."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import scoped_permission
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


async def get_scoped_codes(session: AsyncSession, *, account_id: str) -> list[str]:
    """What the account's token carries (Art. 13.1): `code` for a platform-wide grant, `code@unit` for a
    grant within one unit (`hues_shared.auth.principal.scoped_permission`), never a unit grant as bare."""
    query = sa.select(PermissionGrant.permission, PermissionGrant.unit_id).where(
        PermissionGrant.account_id == account_id
    )
    rows = (await session.execute(query)).all()
    return sorted({scoped_permission(code, unit_id) for code, unit_id in rows})


async def delete(session: AsyncSession, *, grant: PermissionGrant) -> None:
    await session.delete(grant)
    await session.flush()


async def delete_all(session: AsyncSession, *, account_id: str) -> None:
    await session.execute(sa.delete(PermissionGrant).where(PermissionGrant.account_id == account_id))
