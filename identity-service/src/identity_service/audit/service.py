"""Writing and reading the security audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.pagination import Page, decode_cursor, encode_cursor
from identity_service.audit import repository
from identity_service.audit.models import AuditEvent
from identity_service.audit.schemas import AuditEventOut


async def record_audit(
    session: AsyncSession,
    *,
    action: str,
    outcome: str = "success",
    actor_account_id: str | None = None,
    subject_account_id: str | None = None,
    client_address: str | None = None,
    **details: Any,
) -> None:
    """One row in the same unit of work as the change it describes (never a password or full document)."""
    await repository.create(
        session,
        event=AuditEvent(
            action=action,
            outcome=outcome,
            actor_account_id=actor_account_id,
            subject_account_id=subject_account_id,
            client_address=client_address,
            details=details,
        ),
    )


async def get_audit_events(
    session: AsyncSession,
    *,
    subject_account_id: str | None,
    action: str | None,
    cursor: str | None,
    limit: int,
) -> Page[AuditEventOut]:
    values = decode_cursor(cursor)
    before = int(values[0]) if values else None
    rows = await repository.get_all(
        session, subject_account_id=subject_account_id, action=action, before_id=before, limit=limit + 1
    )
    items = [AuditEventOut.model_validate(row) for row in rows[:limit]]
    next_cursor = encode_cursor([items[-1].id]) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)
