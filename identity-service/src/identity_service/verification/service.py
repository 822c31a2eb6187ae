"""Account verification: send a one-time code, confirm it (expiring, single-use, rate-limited)."""

from __future__ import annotations

import hmac
import math
import secrets
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.contracts.identity import AccountVerified
from hues_shared.events.outbox import record_event
from hues_shared.problems import Conflict, TooManyRequests, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.models import Account, AccountStatus
from identity_service.accounts.protection import mask_email, mask_phone
from identity_service.accounts.schemas import Channel, VerificationSentOut
from identity_service.audit.service import record_audit
from identity_service.components import IdentityComponents
from identity_service.db import tables
from identity_service.refusals import RecordedRefusal
from identity_service.verification import repository
from identity_service.verification.models import OtpChallenge
from identity_service.verification.providers import OutgoingMessage
from identity_service.verification.schemas import VerifiedOut

VERIFY_ACCOUNT = "verify_account"
_WRONG_CODE = "The code is wrong or has expired; check the latest message or ask for a new code."


def _code_hash(components: IdentityComponents, challenge_id: str, code: str) -> str:
    return components.cipher.blind_index("otp", f"{challenge_id}:{code}")


async def send_verification_code(
    session: AsyncSession, components: IdentityComponents, *, account: Account, channel: Channel
) -> VerificationSentOut:
    """Issue a fresh code (earlier ones stop working) within the resend interval and hourly limit."""
    settings = components.settings
    now = utcnow()
    latest = await repository.get_latest(session, account_id=account.id, purpose=VERIFY_ACCOUNT)
    if latest is not None:
        wait = (
            latest.created_at + timedelta(seconds=settings.otp_resend_interval_seconds) - now
        ).total_seconds()
        if wait > 0:
            raise TooManyRequests(
                f"A code was sent moments ago; ask again in {math.ceil(wait)} seconds.",
                slug="otp-resend-too-soon",
                headers={"Retry-After": str(math.ceil(wait))},
            )
    sent = await repository.count_since(session, account_id=account.id, since=now - timedelta(hours=1))
    if sent >= settings.otp_max_sends_per_hour:
        raise TooManyRequests("Too many codes were sent this hour; try again later.", slug="otp-rate-limited")
    destination = components.cipher.decrypt(
        account.phone_enc if channel == "sms" else account.email_enc,
        field=channel_field(channel),
        owner_id=account.id,
    )
    if destination is None:
        raise UnprocessableContent("The account has no e-mail address to send a code to.", slug="no-email")
    await repository.expire_open(session, account_id=account.id, purpose=VERIFY_ACCOUNT, now=now)
    code = str(secrets.randbelow(10**settings.otp_length)).zfill(settings.otp_length)
    challenge = OtpChallenge(
        account_id=account.id,
        purpose=VERIFY_ACCOUNT,
        channel=channel,
        code_hash="",
        created_at=now,
        expires_at=now + timedelta(seconds=settings.otp_ttl_seconds),
        attempts=0,
    )
    await repository.create(session, challenge=challenge)
    challenge.code_hash = _code_hash(components, challenge.id, code)
    minutes = max(settings.otp_ttl_seconds // 60, 1)
    text = f"Hue-S: ma xac thuc cua ban la {code}, hieu luc {minutes} phut. Khong chia se ma nay."
    await components.messages.send(OutgoingMessage(channel=channel, destination=destination, text=text))
    masked = mask_phone(destination) if channel == "sms" else mask_email(destination)
    return VerificationSentOut(channel=channel, destination=masked or "", expires_at=challenge.expires_at)


def channel_field(channel: Channel) -> str:
    return "phone" if channel == "sms" else "email"


async def resend_verification_code(
    session: AsyncSession, components: IdentityComponents, *, account_id: str, channel: Channel
) -> VerificationSentOut:
    account = await accounts.get(session, account_id=account_id)
    if account is None or account.status != AccountStatus.PENDING:
        raise Conflict("This account is not waiting for verification.", slug="not-pending")
    return await send_verification_code(session, components, account=account, channel=channel)


async def verify_account(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account_id: str,
    code: str,
    client_address: str | None,
) -> VerifiedOut:
    """Activate a pending account; a wrong code counts an attempt, and too many burn the code."""
    now = utcnow()
    account = await accounts.get(session, account_id=account_id)
    if account is None or account.status != AccountStatus.PENDING:
        if account is not None and account.status == AccountStatus.ACTIVE:
            raise Conflict("This account is already verified.", slug="already-verified")
        raise RecordedRefusal(_WRONG_CODE, slug="invalid-otp", status=400, title="Invalid code")
    challenge = await repository.get_latest_for_update(session, account_id=account_id, purpose=VERIFY_ACCOUNT)
    if challenge is None or challenge.consumed_at is not None or challenge.expires_at <= now:
        raise RecordedRefusal(_WRONG_CODE, slug="invalid-otp", status=400, title="Invalid code")
    if challenge.attempts >= components.settings.otp_max_attempts:
        raise RecordedRefusal(
            "Too many wrong codes; ask for a new one.",
            slug="otp-attempts-exhausted",
            status=429,
            title="Too many attempts",
        )
    if not hmac.compare_digest(challenge.code_hash, _code_hash(components, challenge.id, code.strip())):
        challenge.attempts += 1
        await record_audit(
            session,
            action="account.verification_failed",
            outcome="failure",
            subject_account_id=account.id,
            client_address=client_address,
            attempts=challenge.attempts,
        )
        raise RecordedRefusal(_WRONG_CODE, slug="invalid-otp", status=400, title="Invalid code")
    challenge.consumed_at = now
    account.status = AccountStatus.ACTIVE
    account.verified_at = now
    account.updated_at = now
    await record_event(
        session, tables, AccountVerified(account_id=account.id, kind=account.kind, verified_at=now)
    )
    await record_audit(
        session, action="account.verified", subject_account_id=account.id, client_address=client_address
    )
    return VerifiedOut(account_id=account.id, status=account.status, verified_at=now)
