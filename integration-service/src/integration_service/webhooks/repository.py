"""Queries on webhook subscriptions, deliveries and attempts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from integration_service.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


async def add(session: AsyncSession, *, row: WebhookSubscription | WebhookDelivery | WebhookAttempt) -> None:
    session.add(row)
    await session.flush()


async def get_subscription(session: AsyncSession, *, subscription_id: str) -> WebhookSubscription | None:
    return await session.get(WebhookSubscription, subscription_id)


async def get_subscriptions(
    session: AsyncSession, *, application_id: str, active_only: bool = False
) -> Sequence[WebhookSubscription]:
    query = sa.select(WebhookSubscription).where(WebhookSubscription.application_id == application_id)
    if active_only:
        query = query.where(WebhookSubscription.status == "active")
    return (await session.scalars(query.order_by(WebhookSubscription.created_at))).all()


async def has_delivery(session: AsyncSession, *, subscription_id: str, event_id: str) -> bool:
    query = sa.select(WebhookDelivery.id).where(
        WebhookDelivery.subscription_id == subscription_id, WebhookDelivery.event_id == event_id
    )
    return (await session.scalars(query)).first() is not None


async def get_delivery(session: AsyncSession, *, delivery_id: str) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, delivery_id)


async def get_deliveries(
    session: AsyncSession, *, subscription_id: str, after: tuple[datetime, str] | None, limit: int
) -> Sequence[WebhookDelivery]:
    """Newest first; `after` is the (created_at, id) of the previous page's last row."""
    query = sa.select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if after is not None:
        query = query.where(sa.tuple_(WebhookDelivery.created_at, WebhookDelivery.id) < sa.tuple_(*after))
    query = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


async def get_attempts(session: AsyncSession, *, delivery_id: str) -> Sequence[WebhookAttempt]:
    query = (
        sa.select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == delivery_id)
        .order_by(WebhookAttempt.attempted_at)
    )
    return (await session.scalars(query)).all()


async def claim_due(session: AsyncSession, *, now: datetime, limit: int) -> Sequence[WebhookDelivery]:
    """Due deliveries, locked so another worker skips them (PostgreSQL; SQLite has one writer anyway)."""
    query = (
        sa.select(WebhookDelivery)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).all()
