"""Routes of staff accounts and roles: the DIC for every unit, agency admins for their own unit's officers."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from hues_shared.app import DbSession
from hues_shared.pagination import Page, PageParams, page_params
from identity_service.accounts.schemas import AccountOut
from identity_service.components import Components
from identity_service.staff import service
from identity_service.staff.authorization import StaffManager
from identity_service.staff.schemas import RoleIn, RolesOut, StaffCreatedOut, StaffCreateIn

router = APIRouter(tags=["units and staff"])


@router.post("/v1/units/{unit_id}/staff", status_code=201, summary="Create a staff account in a unit")
async def create_staff(
    unit_id: str, body: StaffCreateIn, session: DbSession, components: Components, principal: StaffManager
) -> StaffCreatedOut:
    """DIC administrators (identity.staff.manage) create staff of any unit with any staff role; an agency
    admin creates officers of its own unit only (Art. 13.1, 16.3). The temporary password goes to the
    staff member's phone and must be changed at first login; nobody else sees it."""
    return await service.create_staff(session, components, unit_id=unit_id, data=body, principal=principal)


@router.get("/v1/units/{unit_id}/staff", summary="Staff accounts of a unit")
async def get_unit_staff(
    unit_id: str,
    session: DbSession,
    components: Components,
    principal: StaffManager,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[AccountOut]:
    """Masked personal data; the DIC sees every unit, an agency admin its own."""
    return await service.get_unit_staff(
        session, components, unit_id=unit_id, principal=principal, cursor=page.cursor, limit=page.limit
    )


@router.get("/v1/accounts/{account_id}/roles", summary="Roles of a staff account")
async def get_roles(account_id: str, session: DbSession, principal: StaffManager) -> RolesOut:
    return await service.get_staff_roles(session, account_id=account_id, principal=principal)


@router.post(
    "/v1/accounts/{account_id}/roles", status_code=201, summary="Assign a role in the account's unit"
)
async def grant_role(account_id: str, body: RoleIn, session: DbSession, principal: StaffManager) -> RolesOut:
    """Audited; publishes RoleGranted."""
    return await service.grant_role(session, account_id=account_id, role=body.role, principal=principal)


@router.delete("/v1/accounts/{account_id}/roles/{role}", status_code=204, summary="Take a role away")
async def revoke_role(account_id: str, role: str, session: DbSession, principal: StaffManager) -> Response:
    """Audited; publishes RoleRevoked so the gateway stops older tokens within seconds."""
    await service.revoke_role(session, account_id=account_id, role=role, principal=principal)
    return Response(status_code=204)
