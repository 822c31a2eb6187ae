"""Queries on report categories and routing rules."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.categories.models import ReportCategory, RoutingRule


async def get_all_active(session: AsyncSession) -> Sequence[ReportCategory]:
    query = sa.select(ReportCategory).where(ReportCategory.active.is_(True)).order_by(ReportCategory.position)
    return (await session.scalars(query)).all()


async def get(session: AsyncSession, *, code: str) -> ReportCategory | None:
    return await session.get(ReportCategory, code)


async def get_rules(session: AsyncSession, *, category_code: str) -> Sequence[RoutingRule]:
    query = sa.select(RoutingRule).where(RoutingRule.category_code == category_code).order_by(RoutingRule.id)
    return (await session.scalars(query)).all()


async def get_rule(session: AsyncSession, *, category_code: str, ward_code: str | None) -> RoutingRule | None:
    ward = RoutingRule.ward_code.is_(None) if ward_code is None else RoutingRule.ward_code == ward_code
    query = sa.select(RoutingRule).where(RoutingRule.category_code == category_code, ward)
    return (await session.scalars(query)).first()


async def create_rule(session: AsyncSession, *, rule: RoutingRule) -> RoutingRule:
    session.add(rule)
    await session.flush()
    return rule


async def delete_rule(session: AsyncSession, *, category_code: str, rule_id: int) -> bool:
    result = await session.execute(
        sa.delete(RoutingRule).where(RoutingRule.id == rule_id, RoutingRule.category_code == category_code)
    )
    return bool(getattr(result, "rowcount", 0))


async def get_route(session: AsyncSession, *, category_code: str, ward_code: str) -> RoutingRule | None:
    """The ward's rule if any, else the category's city-wide rule (one query)."""
    query = (
        sa.select(RoutingRule)
        .where(
            RoutingRule.category_code == category_code,
            sa.or_(RoutingRule.ward_code == ward_code, RoutingRule.ward_code.is_(None)),
        )
        .order_by(RoutingRule.ward_code.is_(None))
        .limit(1)
    )
    return (await session.scalars(query)).first()
