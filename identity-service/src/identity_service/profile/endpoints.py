"""Routes of the caller's own account."""

from fastapi import APIRouter, Response

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal
from identity_service.accounts.schemas import AccountOut
from identity_service.components import ClientAddress, Components
from identity_service.profile import service
from identity_service.profile.schemas import PersonalDataExport, ProfileUpdateIn

router = APIRouter(prefix="/v1/me", tags=["my account"])


@router.get("", summary="My account")
async def get_me(session: DbSession, components: Components, principal: CurrentPrincipal) -> AccountOut:
    """The owner sees their own document number, phone and e-mail in full; nobody else does."""
    return await service.get_me(session, components, account_id=principal.account_id)


@router.patch("", summary="Change my profile")
async def update_me(
    body: ProfileUpdateIn, session: DbSession, components: Components, principal: CurrentPrincipal
) -> AccountOut:
    """E-mail, home ward, and an organization's representative (Art. 12: complete, truthful information)."""
    return await service.update_me(session, components, account_id=principal.account_id, data=body)


@router.get("/export", summary="Everything identity holds about me")
async def export_me(
    session: DbSession, components: Components, principal: CurrentPrincipal, address: ClientAddress
) -> PersonalDataExport:
    """Access and portability under Law 91/2025; the export itself is audited."""
    return await service.export_me(
        session, components, account_id=principal.account_id, client_address=address
    )


@router.delete("", status_code=204, summary="Close my account")
async def close_me(session: DbSession, principal: CurrentPrincipal, address: ClientAddress) -> Response:
    """Personal data erased, sessions revoked, AccountClosed published so other services erase theirs."""
    await service.close_me(session, account_id=principal.account_id, client_address=address)
    return Response(status_code=204)
