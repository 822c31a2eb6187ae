"""Inbox rules: who sees what, and the messages the platform sends by itself."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import BadRequest
from notification_service.inbox import repository
from notification_service.inbox.models import InboxMessage
from notification_service.inbox.schemas import InboxMessageOut

HUE_TIME = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")  # Vietnam has no daylight saving


async def get_inbox(
    session: AsyncSession, *, account_id: str, cursor: str | None, limit: int
) -> Page[InboxMessageOut]:
    """The caller's own messages, newest first; nobody reads another account's inbox."""
    before = None
    values = decode_cursor(cursor)
    if values:
        try:
            before = (datetime.fromisoformat(values[0]), str(values[1]))
        except (ValueError, IndexError) as exc:
            raise BadRequest("The cursor is not valid.", slug="invalid-cursor") from exc
    rows = await repository.get_all_for_account(
        session, account_id=account_id, before=before, limit=limit + 1
    )
    items = [InboxMessageOut.model_validate(row) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor([last.created_at.isoformat(), last.id])
    return Page(items=items, next_cursor=next_cursor)


async def create_welcome_message(
    session: AsyncSession, *, account_id: str, display_name: str, source_event_id: str
) -> InboxMessage:
    """Greets a newly registered account in Vietnamese (the app's default language)."""
    return await repository.create(
        session,
        message=InboxMessage(
            account_id=account_id,
            kind="welcome",
            title="Chào mừng đến với Hue-S",
            body=f"Xin chào {display_name}! Tài khoản Hue-S của bạn đã được tạo.",
            source_event_id=source_event_id,
        ),
    )


async def create_password_expiry_reminder(
    session: AsyncSession, *, account_id: str, expires_at: datetime, days_left: int, source_event_id: str
) -> InboxMessage:
    """Reminds the account to change its password before it expires (changed every 90 days, Art. 9.1)."""
    local_day = expires_at.astimezone(HUE_TIME).strftime("%d/%m/%Y")
    return await repository.create(
        session,
        message=InboxMessage(
            account_id=account_id,
            kind="password-expiring",
            title="Mật khẩu sắp hết hạn",
            body=f"Mật khẩu của bạn sẽ hết hạn sau {days_left} ngày (ngày {local_day}). "
            "Vui lòng đổi mật khẩu.",
            source_event_id=source_event_id,
        ),
    )


async def erase_account_messages(session: AsyncSession, *, account_id: str) -> int:
    """A closed account's messages are erased with it (Law 91/2025: data deleted when the account closes)."""
    return await repository.delete_all_for_account(session, account_id=account_id)
