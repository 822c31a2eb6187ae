"""Routes of account verification, and the development-only outbox of sent codes."""

from fastapi import APIRouter

from hues_shared.app import DbSession
from identity_service.accounts.schemas import VerificationSentOut
from identity_service.components import ClientAddress, Components
from identity_service.verification import service
from identity_service.verification.providers import ConsoleProvider
from identity_service.verification.schemas import DevMessageOut, ResendCodeIn, VerifiedOut, VerifyAccountIn

router = APIRouter(prefix="/v1/accounts/verify", tags=["registration"])
dev_router = APIRouter(prefix="/v1/dev", tags=["development"])


@router.post("", response_model=VerifiedOut, summary="Confirm an account with its one-time code")
async def verify_account(
    body: VerifyAccountIn,
    session: DbSession,
    components: Components,
    address: ClientAddress,
) -> VerifiedOut:
    """Codes expire, work once, and allow a few attempts; the account becomes active (Art. 3.2)."""
    return await service.verify_account(
        session, components, account_id=body.account_id, code=body.code, client_address=address
    )


@router.post("/resend", status_code=202, summary="Send a new one-time code")
async def resend_code(body: ResendCodeIn, session: DbSession, components: Components) -> VerificationSentOut:
    """Rate-limited: one code per interval and a few per hour; earlier codes stop working."""
    return await service.resend_verification_code(
        session, components, account_id=body.account_id, channel=body.channel
    )


@dev_router.get("/otp-outbox", summary="Messages the console provider sent (development mode only)")
async def get_otp_outbox(components: Components) -> list[DevMessageOut]:
    """Lets a developer read codes in embedded mode; this route does not exist outside development."""
    if not isinstance(components.messages, ConsoleProvider):
        return []
    return [DevMessageOut(**vars(m)) for m in reversed(components.messages.messages)]
