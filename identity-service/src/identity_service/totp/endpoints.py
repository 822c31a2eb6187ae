"""Routes of the optional second factor (RFC 6238)."""

from fastapi import APIRouter, Response

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal
from identity_service.components import Components
from identity_service.totp import service
from identity_service.totp.schemas import TotpCodeIn, TotpEnrollmentOut

router = APIRouter(prefix="/v1/me/totp", tags=["my account"])


@router.post("", summary="Start second-factor enrollment")
async def start_enrollment(
    session: DbSession, components: Components, principal: CurrentPrincipal
) -> TotpEnrollmentOut:
    """Returns the secret and an otpauth:// URI for an authenticator app; confirm with a code to enable it."""
    return await service.start_enrollment(session, components, account_id=principal.account_id)


@router.post("/confirm", status_code=204, summary="Enable the second factor")
async def confirm_enrollment(
    body: TotpCodeIn, session: DbSession, components: Components, principal: CurrentPrincipal
) -> Response:
    """From now on the token endpoint needs a `totp` code besides the password."""
    await service.confirm_enrollment(session, components, account_id=principal.account_id, code=body.code)
    return Response(status_code=204)


@router.post("/disable", status_code=204, summary="Disable the second factor")
async def disable(
    body: TotpCodeIn, session: DbSession, components: Components, principal: CurrentPrincipal
) -> Response:
    """Refused for staff when the policy makes the second factor mandatory."""
    await service.disable(session, components, account_id=principal.account_id, code=body.code)
    return Response(status_code=204)
