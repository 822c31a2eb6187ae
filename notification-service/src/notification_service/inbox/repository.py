"""Queries of the inbox: personal messages, broadcast notices found by audience key, read state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.inbox.models import InboxMessage, NoticeState
from notification_service.notices.models import Notice, NoticeAudience

Before = tuple[datetime, str] | None


async def create(session: AsyncSession, *, message: InboxMessage) -> InboxMessage:
    session.add(message)
    await session.flush()
    return message


def _state_filter(read_at: Any, archived_at: Any, state: str | None) -> list[Any]:
    if state == "all":
        return []
    if state == "archived":
        return [archived_at.is_not(None)]
    if state == "unread":
        return [archived_at.is_(None), read_at.is_(None)]
    if state == "read":
        return [archived_at.is_(None), read_at.is_not(None)]
    return [archived_at.is_(None)]  # default: everything not archived


async def get_all_for_account(
    session: AsyncSession, *, account_id: str, before: Before, limit: int, state: str | None = None
) -> Sequence[InboxMessage]:
    query = sa.select(InboxMessage).where(
        InboxMessage.account_id == account_id,
        *_state_filter(InboxMessage.read_at, InboxMessage.archived_at, state),
    )
    if before is not None:
        query = query.where(sa.tuple_(InboxMessage.created_at, InboxMessage.id) < sa.tuple_(*before))
    query = query.order_by(InboxMessage.created_at.desc(), InboxMessage.id.desc()).limit(limit)
    return (await session.scalars(query)).all()


def _state_condition(account_id: str, state: str | None, notice_id: Any) -> list[Any]:
    """The read-state filter as (NOT) EXISTS on the account's few state rows (absence = unread)."""

    def having(*conditions: Any) -> Any:
        return sa.exists().where(
            NoticeState.account_id == account_id, NoticeState.notice_id == notice_id, *conditions
        )

    if state == "all":
        return []
    if state == "archived":
        return [having(NoticeState.archived_at.is_not(None))]
    if state == "unread":
        return [~having(sa.or_(NoticeState.read_at.is_not(None), NoticeState.archived_at.is_not(None)))]
    if state == "read":
        return [having(NoticeState.read_at.is_not(None), NoticeState.archived_at.is_(None))]
    return [~having(NoticeState.archived_at.is_not(None))]


def _visible_notices(audiences: Sequence[str], muted_topics: Sequence[str]) -> list[Any]:
    """Fan-out on read: a notice is in the inbox when one of its audience keys is one of the account's."""
    conditions: list[Any] = [
        Notice.id.in_(sa.select(NoticeAudience.notice_id).where(NoticeAudience.audience.in_(audiences))),
        Notice.published_at.is_not(None),
    ]
    if muted_topics:
        conditions.append(sa.or_(Notice.critical.is_(True), Notice.topic.not_in(muted_topics)))
    return conditions


def _with_state(account_id: str) -> Any:
    return sa.select(Notice, NoticeState).outerjoin(
        NoticeState, sa.and_(NoticeState.notice_id == Notice.id, NoticeState.account_id == account_id)
    )


async def get_notices_for_account(
    session: AsyncSession,
    *,
    account_id: str,
    audiences: Sequence[str],
    muted_topics: Sequence[str],
    kind: str | None,
    state: str | None,
    before: Before,
    limit: int,
) -> Sequence[tuple[Notice, NoticeState | None]]:
    """One page of the account's broadcasts: for each of its audience keys, the newest `limit` matching
    notices straight off the (audience, published_at, notice_id) index, then merged. A notice in the
    page's top `limit` is in the top `limit` of every key it carries, so the merge loses nothing."""
    filters: list[Any] = _state_condition(account_id, state, NoticeAudience.notice_id)
    needs_notice = bool(muted_topics) or kind is not None
    if muted_topics:
        filters.append(sa.or_(Notice.critical.is_(True), Notice.topic.not_in(muted_topics)))
    if kind is not None:
        filters.append(Notice.kind == kind)
    if before is not None:
        filters.append(sa.tuple_(NoticeAudience.published_at, NoticeAudience.notice_id) < sa.tuple_(*before))
    branches = []
    for audience in sorted(set(audiences)):
        branch = sa.select(NoticeAudience.notice_id)
        if needs_notice:
            branch = branch.join(Notice, Notice.id == NoticeAudience.notice_id)
        branch = (
            branch.where(NoticeAudience.audience == audience, *filters)
            .order_by(NoticeAudience.published_at.desc(), NoticeAudience.notice_id.desc())
            .limit(limit)
        )
        branches.append(sa.select(branch.subquery()))
    candidates = sa.union_all(*branches).subquery()
    query = (
        _with_state(account_id)
        .where(Notice.id.in_(sa.select(candidates.c.notice_id)))
        .order_by(Notice.published_at.desc(), Notice.id.desc())
        .limit(limit)
    )
    return [(n, s) for n, s in (await session.execute(query)).all()]


async def get_visible_notice(
    session: AsyncSession, *, account_id: str, notice_id: str, audiences: Sequence[str]
) -> Notice | None:
    query = sa.select(Notice).where(Notice.id == notice_id, *_visible_notices(audiences, ()))
    return (await session.scalars(query)).one_or_none()


async def count_unread(
    session: AsyncSession, *, account_id: str, audiences: Sequence[str], muted_topics: Sequence[str]
) -> int:
    targeted = sa.select(NoticeAudience.notice_id).where(
        NoticeAudience.audience.in_(sorted(set(audiences))),
        *_state_condition(account_id, "unread", NoticeAudience.notice_id),
    )
    if muted_topics:
        targeted = targeted.join(Notice, Notice.id == NoticeAudience.notice_id).where(
            sa.or_(Notice.critical.is_(True), Notice.topic.not_in(muted_topics))
        )
    notices = sa.select(sa.func.count(sa.distinct(targeted.subquery().c.notice_id)))
    messages = sa.select(sa.func.count()).where(
        InboxMessage.account_id == account_id,
        InboxMessage.read_at.is_(None),
        InboxMessage.archived_at.is_(None),
    )
    return int(await session.scalar(notices) or 0) + int(await session.scalar(messages) or 0)


async def get_message(session: AsyncSession, *, account_id: str, message_id: str) -> InboxMessage | None:
    query = sa.select(InboxMessage).where(
        InboxMessage.id == message_id, InboxMessage.account_id == account_id
    )
    return (await session.scalars(query)).one_or_none()


async def get_or_create_state(session: AsyncSession, *, account_id: str, notice_id: str) -> NoticeState:
    state = await session.get(NoticeState, (account_id, notice_id))
    if state is None:
        state = NoticeState(account_id=account_id, notice_id=notice_id)
        session.add(state)
    return state


async def delete_all_for_account(session: AsyncSession, *, account_id: str) -> int:
    result = await session.execute(sa.delete(InboxMessage).where(InboxMessage.account_id == account_id))
    await session.execute(sa.delete(NoticeState).where(NoticeState.account_id == account_id))
    return int(getattr(result, "rowcount", 0) or 0)
