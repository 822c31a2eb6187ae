"""Queries on offering categories."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.categories.models import OfferingCategory


async def get_all(session: AsyncSession, *, kind: str | None) -> Sequence[OfferingCategory]:
    query = sa.select(OfferingCategory).order_by(OfferingCategory.kind, OfferingCategory.code)
    if kind is not None:
        query = query.where(OfferingCategory.kind == kind)
    return (await session.scalars(query)).all()


async def get(session: AsyncSession, *, code: str) -> OfferingCategory | None:
    return await session.get(OfferingCategory, code)


async def get_codes_under(session: AsyncSession, *, code: str) -> set[str]:
    """`code` and every category below it in the tree."""
    rows = (await session.execute(sa.select(OfferingCategory.code, OfferingCategory.parent_code))).all()
    children: dict[str | None, list[str]] = {}
    for child, parent in rows:
        children.setdefault(parent, []).append(child)
    found, pending = set(), [code]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(children.get(current, []))
    return found
