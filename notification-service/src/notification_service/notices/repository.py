"""Queries on notices, their audiences and their statistics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.inbox.models import NoticeState
from notification_service.notices.models import Notice, NoticeAudience
from notification_service.preferences.models import TopicSubscription
from notification_service.push.models import Device, PushDelivery
from notification_service.recipients.models import Recipient, RecipientRole


async def create(session: AsyncSession, *, notice: Notice) -> Notice:
    session.add(notice)
    await session.flush()
    return notice


async def get(session: AsyncSession, *, notice_id: str, for_update: bool = False) -> Notice | None:
    query = sa.select(Notice).where(Notice.id == notice_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


async def get_many(session: AsyncSession, *, notice_ids: Sequence[str]) -> Sequence[Notice]:
    if not notice_ids:
        return []
    return (await session.scalars(sa.select(Notice).where(Notice.id.in_(notice_ids)))).all()


async def add_audiences(
    session: AsyncSession, *, notice_id: str, audiences: Sequence[str], published_at: datetime
) -> None:
    session.add_all(
        NoticeAudience(notice_id=notice_id, audience=a, published_at=published_at)
        for a in sorted(set(audiences))
    )
    await session.flush()


def _split(audiences: Sequence[str], prefix: str) -> list[str]:
    return [a.removeprefix(prefix) for a in audiences if a.startswith(prefix)]


def audience_accounts(audiences: Sequence[str]) -> sa.Select[Any] | None:
    """The account ids (of the projection) an audience reaches, as one UNION query; None for everyone."""
    if "all" in audiences:
        return None
    parts: list[sa.Select[Any]] = []
    if wards := _split(audiences, "ward:"):
        parts.append(sa.select(Recipient.account_id).where(Recipient.home_ward_code.in_(wards)))
    if roles := _split(audiences, "role:"):
        parts.append(sa.select(RecipientRole.account_id).where(RecipientRole.role.in_(roles)))
    if topics := _split(audiences, "topic:"):
        parts.append(sa.select(TopicSubscription.account_id).where(TopicSubscription.topic.in_(topics)))
    if accounts := _split(audiences, "account:"):
        parts.append(sa.select(Recipient.account_id).where(Recipient.account_id.in_(accounts)))
        parts.append(sa.select(Device.account_id).where(Device.account_id.in_(accounts)))
    if not parts:
        return sa.select(Recipient.account_id).where(sa.false())
    return sa.select(sa.union(*parts).subquery().c[0])


async def count_audience(session: AsyncSession, *, audiences: Sequence[str]) -> int:
    accounts = audience_accounts(audiences)
    if accounts is None:
        return int(await session.scalar(sa.select(sa.func.count()).select_from(Recipient)) or 0)
    known = int(await session.scalar(sa.select(sa.func.count()).select_from(accounts.subquery())) or 0)
    named = set(_split(audiences, "account:"))
    if named:
        found = set(
            (
                await session.scalars(sa.select(Recipient.account_id).where(Recipient.account_id.in_(named)))
            ).all()
        )
        known += len(named - found)  # an account not projected yet still counts once
    return known


async def get_current_alerts(session: AsyncSession, *, now: datetime, limit: int = 500) -> Sequence[Notice]:
    """Published warnings neither superseded nor expired: the current feed (expiry needs no job)."""
    query = (
        sa.select(Notice)
        .where(
            Notice.kind == "alert",
            Notice.published_at.is_not(None),
            Notice.superseded_at.is_(None),
            sa.or_(Notice.expires_at.is_(None), Notice.expires_at > now),
        )
        .order_by(Notice.published_at.desc(), Notice.id.desc())
        .limit(limit)
    )
    return (await session.scalars(query)).all()


async def get_published_alert(session: AsyncSession, *, notice_id: str) -> Notice | None:
    query = sa.select(Notice).where(
        Notice.id == notice_id, Notice.kind == "alert", Notice.published_at.is_not(None)
    )
    return (await session.scalars(query)).one_or_none()


async def get_delivery_counts(session: AsyncSession, *, notice_id: str) -> dict[str, int]:
    query = (
        sa.select(PushDelivery.status, sa.func.count())
        .where(PushDelivery.notice_id == notice_id)
        .group_by(PushDelivery.status)
    )
    return {status: int(count) for status, count in (await session.execute(query)).all()}


async def count_opened(session: AsyncSession, *, notice_id: str) -> int:
    query = sa.select(sa.func.count()).where(
        NoticeState.notice_id == notice_id, NoticeState.read_at.is_not(None)
    )
    return int(await session.scalar(query) or 0)


async def get_audiences(session: AsyncSession, *, notice_id: str) -> list[str]:
    query = sa.select(NoticeAudience.audience).where(NoticeAudience.notice_id == notice_id)
    return sorted((await session.scalars(query)).all())


async def get_all_for_staff(
    session: AsyncSession,
    *,
    scopes: dict[str, frozenset[str] | None],
    status: str | None,
    awaiting_approval: bool,
    before: tuple[datetime, str] | None,
    limit: int,
) -> Sequence[Notice]:
    """Notices of the kinds and units the caller may act on (kind -> None for every unit), newest first."""
    allowed = []
    for kind, units in scopes.items():
        if units is None:
            allowed.append(Notice.kind == kind)
        elif units:
            allowed.append(sa.and_(Notice.kind == kind, Notice.unit_id.in_(sorted(units))))
    if not allowed:
        return []
    query = sa.select(Notice).where(sa.or_(*allowed))
    if status == "draft":
        query = query.where(Notice.published_at.is_(None))
    elif status == "published":
        query = query.where(Notice.published_at.is_not(None))
    if awaiting_approval:
        query = query.where(
            Notice.published_at.is_(None),
            Notice.approved_by.is_(None),
            Notice.severity == "Extreme",
            Notice.urgency == "Immediate",
        )
    if before is not None:
        query = query.where(sa.tuple_(Notice.created_at, Notice.id) < sa.tuple_(*before))
    query = query.order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit)
    return (await session.scalars(query)).all()
