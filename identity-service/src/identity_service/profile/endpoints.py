"""Routes of the caller's own account."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from hues_shared.app import DbSession
from hues_shared.auth.principal import (
    CurrentPrincipal,
    Principal,
    current_principal_allowing_expired_password,
)
from identity_service.accounts.schemas import AccountOut
from identity_service.components import ClientAddress, Components
from identity_service.profile import service
from identity_service.profile.schemas import ConfirmationIn, PersonalDataExport, ProfileUpdateIn

router = APIRouter(prefix="/v1/me", tags=["my account"])
CONFIRMATION_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"description": "Wrong password or authenticator code (problem+json)"},
    429: {"description": "Too many failed confirmations (problem+json)"},
}


@router.get("", summary="My account")
async def get_me(
    session: DbSession,
    components: Components,
    principal: Annotated[Principal, Depends(current_principal_allowing_expired_password)],
) -> AccountOut:
    """The owner sees their own document number, phone and e-mail in full; nobody else does. Readable
    with an expired or temporary password too (`password_must_change`, `password_expires_at` say why
    and `POST /v1/me/password` is the way out)."""
    return await service.get_me(session, components, account_id=principal.account_id)


@router.patch("", summary="Change my profile")
async def update_me(
    body: ProfileUpdateIn, session: DbSession, components: Components, principal: CurrentPrincipal
) -> AccountOut:
    """E-mail, home ward, and an organization's representative (Art. 12: complete, truthful information)."""
    return await service.update_me(session, components, account_id=principal.account_id, data=body)


@router.post(
    "/export",
    summary="Everything identity holds about me",
    responses={
        403: {"description": "Wrong password or authenticator code"},
        429: {"description": "Too many"},
    },
)
async def export_me(
    body: ConfirmationIn,
    session: DbSession,
    components: Components,
    principal: CurrentPrincipal,
    address: ClientAddress,
) -> PersonalDataExport:
    """Access and portability under Law 91/2025; needs the current password (and the authenticator code
    when a second factor is on), not only a token. The export itself is audited."""
    return await service.export_me(
        session, components, account_id=principal.account_id, confirmation=body, client_address=address
    )


@router.delete(
    "",
    status_code=204,
    summary="Close my account",
    responses={
        403: {"description": "Wrong password or authenticator code"},
        429: {"description": "Too many"},
    },
)
async def close_me(
    body: ConfirmationIn,
    session: DbSession,
    components: Components,
    principal: CurrentPrincipal,
    address: ClientAddress,
) -> Response:
    """Needs the current password (and the authenticator code when a second factor is on) in the body.
    Personal data erased, sessions revoked, AccountClosed published so other services erase theirs."""
    await service.close_me(
        session, components, account_id=principal.account_id, confirmation=body, client_address=address
    )
    return Response(status_code=204)
