"""The password-change route: the one route a token with an expired password may call (Art. 9.1)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from hues_shared.app import DbSession
from hues_shared.auth.principal import Principal, current_principal_allowing_expired_password
from identity_service.components import ClientAddress, Components
from identity_service.passwords import service
from identity_service.passwords.schemas import PasswordChangeIn

router = APIRouter(prefix="/v1/me", tags=["my account"])


@router.post("/password", status_code=204, response_model=None, summary="Change my password")
async def change_password(
    body: PasswordChangeIn,
    session: DbSession,
    components: Components,
    address: ClientAddress,
    principal: Annotated[Principal, Depends(current_principal_allowing_expired_password)],
) -> Response:
    """More than 8 characters with upper, lower, digit and special character; never a password used before
    on this account (Art. 9.1); not containing the login name, document, phone or name (Art. 18). Every
    session ends: sign in again with the new password."""
    await service.change_password(
        session,
        components,
        account_id=principal.account_id,
        current_password=body.current_password,
        new_password=body.new_password,
        client_address=address,
    )
    return Response(status_code=204)
