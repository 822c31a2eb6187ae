"""Inbox rules: who sees what, and the messages the platform sends by itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import BadRequest
from notification_service.inbox import repository
from notification_service.inbox.models import InboxMessage
from notification_service.inbox.schemas import InboxMessageOut


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
