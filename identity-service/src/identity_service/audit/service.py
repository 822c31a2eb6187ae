"""Writing and reading the security audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.pagination import Page, keyset_page
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
    return await keyset_page(
        lambda after, size: repository.get_all(
            session,
            subject_account_id=subject_account_id,
            action=action,
            before_id=int(after[0]) if after else None,
            limit=size,
        ),
        cursor=cursor,
        limit=limit,
        key=lambda event: [event.id],
        item=AuditEventOut.model_validate,
    )
