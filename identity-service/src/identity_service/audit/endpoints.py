"""Routes of the security audit log (read by the DIC)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from hues_shared.app import DbSession
from hues_shared.auth.principal import Principal, ensure_permission_in_unit, require_permission
from hues_shared.pagination import Page, PageParams, page_params
from hues_shared.permissions import AUDIT_READ
from identity_service.audit import service
from identity_service.audit.schemas import AuditEventOut

router = APIRouter(prefix="/v1/audit-events", tags=["administration"])


@router.get("", summary="Security audit log")
async def get_audit_events(
    session: DbSession,
    principal: Annotated[Principal, require_permission(AUDIT_READ)],
    page: Annotated[PageParams, Depends(page_params)],
    account_id: str | None = None,
    action: str | None = None,
) -> Page[AuditEventOut]:
    """Logins, lockouts, grants, locks, resets and closures, newest first (Art. 13.2, 15.1). The log is
    the platform's: a grant within a unit does not open it (Art. 13.1)."""
    ensure_permission_in_unit(principal, AUDIT_READ, None)
    return await service.get_audit_events(
        session, subject_account_id=account_id, action=action, cursor=page.cursor, limit=page.limit
    )
