"""Queries on bootstrap records."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.bootstrap.models import BootstrapRecord


async def get(session: AsyncSession, *, name: str) -> BootstrapRecord | None:
    return await session.get(BootstrapRecord, name)


async def create(session: AsyncSession, *, record: BootstrapRecord) -> None:
    session.add(record)
    await session.flush()
