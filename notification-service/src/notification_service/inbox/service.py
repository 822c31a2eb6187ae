"""The inbox: broadcasts found by audience key (fan-out on read) merged with personal messages."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import BadRequest, NotFound
from hues_shared.types import utcnow
from notification_service.inbox import repository
from notification_service.inbox.models import InboxMessage, NoticeState
from notification_service.inbox.schemas import InboxItemOut, InboxItemStateIn
from notification_service.inbox.templates import render
from notification_service.notices.models import Notice
from notification_service.notices.service import status_of
from notification_service.preferences import service as preferences
from notification_service.recipients import repository as recipients
from notification_service.recipients import service as recipient_service

HUE_TIME = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")  # Vietnam has no daylight saving


async def audiences_of(session: AsyncSession, *, principal: Principal) -> list[str]:
    """The audience keys that reach this account: everyone, its home ward, roles, topics, itself."""
    keys = ["all", f"account:{principal.account_id}", *(f"role:{r}" for r in sorted(principal.roles))]
    recipient = await recipients.get(session, account_id=principal.account_id)
    if recipient is not None and recipient.home_ward_code:
        keys.append(f"ward:{recipient.home_ward_code}")
    keys += [f"topic:{t}" for t in await preferences.get_topics(session, account_id=principal.account_id)]
    return keys


def _decode(cursor: str | None) -> tuple[datetime, str] | None:
    values = decode_cursor(cursor)
    if not values:
        return None
    try:
        return datetime.fromisoformat(values[0]), str(values[1])
    except (ValueError, IndexError, TypeError) as exc:
        raise BadRequest("The cursor is not valid.", slug="invalid-cursor") from exc


def _notice_item(notice: Notice, state: NoticeState | None, language: str) -> InboxItemOut:
    english = language == "en"
    assert notice.published_at is not None
    return InboxItemOut(
        id=notice.id,
        kind="alert" if notice.kind == "alert" else "notice",
        type=notice.msg_type if notice.kind == "alert" else "notice",
        title=(notice.title_en if english and notice.title_en else notice.title_vi),
        body=(notice.body_en if english and notice.body_en else notice.body_vi),
        instruction=(notice.instruction_en if english and notice.instruction_en else notice.instruction_vi),
        topic=notice.topic,
        severity=notice.severity,
        urgency=notice.urgency,
        critical=notice.critical,
        status=status_of(notice),
        links=notice.links,
        created_at=notice.published_at,
        expires_at=notice.expires_at,
        read_at=state.read_at if state else None,
        archived_at=state.archived_at if state else None,
    )


def _message_item(message: InboxMessage) -> InboxItemOut:
    return InboxItemOut(
        id=message.id,
        kind="message",
        type=message.kind,
        title=message.title,
        body=message.body,
        created_at=message.created_at,
        read_at=message.read_at,
        archived_at=message.archived_at,
    )


async def get_inbox(
    session: AsyncSession,
    *,
    principal: Principal,
    language: str,
    kind: str | None,
    state: str | None,
    cursor: str | None,
    limit: int,
) -> Page[InboxItemOut]:
    """Newest first across both sources; the cursor is (time, id), so pages never skip or repeat."""
    before = _decode(cursor)
    items: list[InboxItemOut] = []
    if kind in (None, "notice", "alert"):
        rows = await repository.get_notices_for_account(
            session,
            account_id=principal.account_id,
            audiences=await audiences_of(session, principal=principal),
            muted_topics=await preferences.get_muted_topics(
                session, account_id=principal.account_id, channel="inbox"
            ),
            kind=kind,
            state=state,
            before=before,
            limit=limit + 1,
        )
        items += [_notice_item(n, s, language) for n, s in rows]
    if kind in (None, "message"):
        messages = await repository.get_all_for_account(
            session, account_id=principal.account_id, before=before, limit=limit + 1, state=state
        )
        items += [_message_item(m) for m in messages]
    items.sort(key=lambda i: (i.created_at, i.id), reverse=True)
    page = items[:limit]
    next_cursor = None
    if len(items) > limit:
        next_cursor = encode_cursor([page[-1].created_at.isoformat(), page[-1].id])
    return Page(items=page, next_cursor=next_cursor)


async def count_unread(session: AsyncSession, *, principal: Principal) -> int:
    return await repository.count_unread(
        session,
        account_id=principal.account_id,
        audiences=await audiences_of(session, principal=principal),
        muted_topics=await preferences.get_muted_topics(
            session, account_id=principal.account_id, channel="inbox"
        ),
    )


async def update_item_state(
    session: AsyncSession, *, principal: Principal, item_id: str, data: InboxItemStateIn, language: str
) -> InboxItemOut:
    """Read/unread/archived on one item of the caller's own inbox (another account's items are 404)."""
    now = utcnow()
    message = await repository.get_message(session, account_id=principal.account_id, message_id=item_id)
    target: InboxMessage | NoticeState
    notice: Notice | None = None
    if message is not None:
        target = message
    else:
        notice = await repository.get_visible_notice(
            session,
            account_id=principal.account_id,
            notice_id=item_id,
            audiences=await audiences_of(session, principal=principal),
        )
        if notice is None:
            raise NotFound("No such item in your inbox.")
        target = await repository.get_or_create_state(
            session, account_id=principal.account_id, notice_id=item_id
        )
    if data.read is not None:
        target.read_at = (target.read_at or now) if data.read else None
    if data.archived is not None:
        target.archived_at = (target.archived_at or now) if data.archived else None
    await session.flush()
    if message is not None:
        return _message_item(message)
    assert isinstance(target, NoticeState) and notice is not None
    return _notice_item(notice, target, language)


async def _personal(
    session: AsyncSession, *, account_id: str, kind: str, source_event_id: str, **values: object
) -> InboxMessage:
    language = await recipient_service.get_language(session, account_id=account_id)
    text = render(kind, language, **values)
    return await repository.create(
        session,
        message=InboxMessage(
            account_id=account_id,
            kind=kind,
            title=text.title,
            body=text.body,
            source_event_id=source_event_id,
        ),
    )


async def create_welcome_message(
    session: AsyncSession, *, account_id: str, display_name: str, source_event_id: str
) -> InboxMessage:
    """Greets a newly registered account in its language (Vietnamese by default)."""
    return await _personal(
        session,
        account_id=account_id,
        kind="welcome",
        source_event_id=source_event_id,
        display_name=display_name,
    )


async def create_password_expiry_reminder(
    session: AsyncSession, *, account_id: str, expires_at: datetime, days_left: int, source_event_id: str
) -> InboxMessage:
    """Reminds the account to change its password before it expires (changed every 90 days, Art. 9.1)."""
    return await _personal(
        session,
        account_id=account_id,
        kind="password-expiring",
        source_event_id=source_event_id,
        days_left=days_left,
        local_day=expires_at.astimezone(HUE_TIME).strftime("%d/%m/%Y"),
    )


async def create_lock_notice(
    session: AsyncSession, *, account_id: str, locked_until: datetime | None, source_event_id: str
) -> InboxMessage:
    """Tells the account it was locked (Art. 13.2), so an unexpected lock is noticed."""
    language = await recipient_service.get_language(session, account_id=account_id)
    until = ""
    if locked_until is not None:
        local = locked_until.astimezone(HUE_TIME).strftime("%H:%M %d/%m/%Y")
        until = f" đến {local}" if language == "vi" else f" until {local}"
    return await _personal(
        session, account_id=account_id, kind="account-locked", source_event_id=source_event_id, until=until
    )


def _per_recipient_event_id(source_event_id: str, account_id: str) -> str:
    """One event may message several accounts (a report's reporter and followers): each message gets
    its own stable id derived from (event id, account), so `source_event_id` stays unique and a
    redelivered event still yields exactly one message per account."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hues:event:{source_event_id}:account:{account_id}"))


async def create_report_messages(
    session: AsyncSession,
    *,
    recipient_account_ids: list[str],
    kind: str,
    title: str,
    source_event_id: str,
    **values: object,
) -> list[InboxMessage]:
    """Tells a report's reporter and followers of a status change (Art. 6.3), each in their language.

    Feedback fills `recipient_account_ids` only on changes a citizen is told of; `title` is the report's
    public title (never the description), so the message carries no more than the public timeline."""
    return [
        await _personal(
            session,
            account_id=account_id,
            kind=kind,
            source_event_id=_per_recipient_event_id(source_event_id, account_id),
            title=title,
            **values,
        )
        for account_id in dict.fromkeys(recipient_account_ids)
    ]


_ENVIRONMENTS = {
    "vi": {"sandbox": "thử nghiệm (sandbox)", "production": "chính thức (production)"},
    "en": {"sandbox": "the sandbox", "production": "production"},
}


async def create_application_message(
    session: AsyncSession,
    *,
    owner_kind: str,
    owner_id: str,
    kind: str,
    application_id: str,
    comment: str | None,
    source_event_id: str,
    environment: str | None = None,
) -> InboxMessage | None:
    """Tells the owning organization account that the DIC approved or suspended its integration
    application (Art. 15.2). Applications owned by a unit have no account to message (not built)."""
    if owner_kind != "organization":
        return None
    language = await recipient_service.get_language(session, account_id=owner_id)
    note = ""
    if comment:
        note = f" Ghi chú: {comment}" if language == "vi" else f" Comment: {comment}"
    values: dict[str, object] = {"application_id": application_id, "comment": note}
    if environment is not None:
        values["environment"] = _ENVIRONMENTS.get(language, _ENVIRONMENTS["vi"]).get(environment, environment)
    return await _personal(session, account_id=owner_id, kind=kind, source_event_id=source_event_id, **values)


async def erase_account_messages(session: AsyncSession, *, account_id: str) -> int:
    """A closed account's messages are erased with it (Law 91/2025: data deleted when the account closes)."""
    return await repository.delete_all_for_account(session, account_id=account_id)
