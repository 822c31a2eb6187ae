"""Routes of the function-permission catalogue and of grants (Art. 15.1)."""

from typing import Annotated

from fastapi import APIRouter, Response

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal, Principal, require_permission
from hues_shared.permissions import PERMISSIONS_GRANT
from identity_service.permissions import service
from identity_service.permissions.schemas import FunctionPermissionOut, GrantIn, GrantOut

router = APIRouter(tags=["permissions"])
Granter = Annotated[Principal, require_permission(PERMISSIONS_GRANT)]


@router.get("/v1/permissions", summary="The catalogue of function permissions")
async def get_catalogue(_: CurrentPrincipal) -> list[FunctionPermissionOut]:
    """Codes declared by the services (e.g. feedback.report.process, notification.alert.publish)."""
    return service.get_catalogue()


@router.get("/v1/accounts/{account_id}/permissions", summary="Permissions granted to an account")
async def get_grants(account_id: str, session: DbSession, principal: Granter) -> list[GrantOut]:
    """A grant within unit X (Art. 13.1) reads X's accounts only."""
    return await service.get_grants(session, account_id=account_id, principal=principal)


@router.post(
    "/v1/accounts/{account_id}/permissions", status_code=201, summary="Grant a function permission (DIC)"
)
async def grant_permission(
    account_id: str, body: GrantIn, session: DbSession, principal: Granter
) -> GrantOut:
    """DIC administrators grant the right to use one function, account-wide or within one unit (Art. 15.1).
    A holder of identity.permission.grant within unit X grants only within X to X's accounts (Art. 13.1).
    Audited; publishes PermissionGranted. Granting twice is harmless."""
    return await service.grant_permission(
        session,
        account_id=account_id,
        permission=body.permission,
        unit_id=body.unit_id,
        actor_account_id=principal.account_id,
        principal=principal,
    )


@router.delete(
    "/v1/accounts/{account_id}/permissions/{permission}",
    status_code=204,
    summary="Revoke a function permission (DIC)",
)
async def revoke_permission(
    account_id: str, permission: str, session: DbSession, principal: Granter, unit_id: str | None = None
) -> Response:
    """Audited; publishes PermissionRevoked so the gateway stops older tokens within seconds."""
    await service.revoke_permission(
        session,
        account_id=account_id,
        permission=permission,
        unit_id=unit_id,
        principal=principal,
    )
    return Response(status_code=204)
