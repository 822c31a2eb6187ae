"""Queries on topic subscriptions and channel preferences."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.preferences.models import ChannelPreference, TopicSubscription


async def get_topics(session: AsyncSession, *, account_id: str) -> list[str]:
    query = sa.select(TopicSubscription.topic).where(TopicSubscription.account_id == account_id)
    return sorted((await session.scalars(query)).all())


async def get_muted(session: AsyncSession, *, account_id: str) -> Sequence[ChannelPreference]:
    query = sa.select(ChannelPreference).where(ChannelPreference.account_id == account_id)
    return (await session.scalars(query.order_by(ChannelPreference.topic))).all()


async def replace(
    session: AsyncSession, *, account_id: str, topics: Sequence[str], muted: Sequence[tuple[str, str]]
) -> None:
    await session.execute(sa.delete(TopicSubscription).where(TopicSubscription.account_id == account_id))
    await session.execute(sa.delete(ChannelPreference).where(ChannelPreference.account_id == account_id))
    session.add_all(TopicSubscription(account_id=account_id, topic=t) for t in topics)
    session.add_all(ChannelPreference(account_id=account_id, topic=t, channel=c) for t, c in set(muted))
    await session.flush()


async def delete_all_for_account(session: AsyncSession, *, account_id: str) -> None:
    await session.execute(sa.delete(TopicSubscription).where(TopicSubscription.account_id == account_id))
    await session.execute(sa.delete(ChannelPreference).where(ChannelPreference.account_id == account_id))


async def get_accounts_muting(
    session: AsyncSession, *, topic: str, channel: str, account_ids: Sequence[str]
) -> set[str]:
    if not account_ids:
        return set()
    query = sa.select(ChannelPreference.account_id).where(
        ChannelPreference.topic == topic,
        ChannelPreference.channel == channel,
        ChannelPreference.account_id.in_(account_ids),
    )
    return set((await session.scalars(query)).all())
