"""Queries on role assignments."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.staff.models import RoleAssignment


async def create(session: AsyncSession, *, assignment: RoleAssignment) -> None:
    session.add(assignment)
    await session.flush()


async def get(session: AsyncSession, *, account_id: str, role: str) -> RoleAssignment | None:
    return await session.get(RoleAssignment, (account_id, role))


async def get_roles(session: AsyncSession, *, account_id: str) -> list[str]:
    query = sa.select(RoleAssignment.role).where(RoleAssignment.account_id == account_id)
    return sorted((await session.scalars(query)).all())


async def get_all_for_unit(session: AsyncSession, *, unit_id: str) -> Sequence[RoleAssignment]:
    return (await session.scalars(sa.select(RoleAssignment).where(RoleAssignment.unit_id == unit_id))).all()


async def delete(session: AsyncSession, *, assignment: RoleAssignment) -> None:
    await session.delete(assignment)
    await session.flush()


async def delete_all(session: AsyncSession, *, account_id: str) -> None:
    await session.execute(sa.delete(RoleAssignment).where(RoleAssignment.account_id == account_id))
