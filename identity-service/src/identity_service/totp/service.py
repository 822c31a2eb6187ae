"""Optional second factor (RFC 6238 TOTP), mandatory for staff when the policy says so."""

from __future__ import annotations

import time

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.problems import Conflict, Forbidden, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.models import Account, AccountKind
from identity_service.audit.service import record_audit
from identity_service.components import IdentityComponents
from identity_service.totp.schemas import TotpEnrollmentOut

STEP_SECONDS = 30


def is_required(components: IdentityComponents, account: Account) -> bool:
    return account.totp_enabled or (
        components.settings.totp_required_for_staff and account.kind == AccountKind.STAFF
    )


def matching_counter(
    secret: str, code: str, *, last_counter: int | None, at: float | None = None
) -> int | None:
    """The time step the code belongs to (one step of clock drift allowed), never one already used."""
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = time.time() if at is None else at
    current = int(now // STEP_SECONDS)
    for counter in (current, current - 1, current + 1):
        if last_counter is not None and counter <= last_counter:
            continue
        if pyotp.utils.strings_equal(totp.at(counter * STEP_SECONDS), code.strip()):
            return counter
    return None


def _secret(components: IdentityComponents, account: Account) -> str | None:
    return components.cipher.decrypt(account.totp_secret_enc, field="totp_secret", owner_id=account.id)


def enrollment_for(components: IdentityComponents, account: Account) -> TotpEnrollmentOut:
    """Keep a pending secret if there is one, so a scanned QR code stays valid between attempts."""
    secret = _secret(components, account) if not account.totp_enabled else None
    if secret is None:
        secret = pyotp.random_base32()
        account.totp_secret_enc = components.cipher.encrypt(secret, field="totp_secret", owner_id=account.id)
        account.totp_enabled = False
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=account.display_name, issuer_name=components.settings.totp_issuer_name
    )
    return TotpEnrollmentOut(secret=secret, otpauth_uri=uri)


async def accept_code(
    session: AsyncSession, components: IdentityComponents, account: Account, code: str
) -> bool:
    """Check a code against the account's secret (pending or enabled) and spend its time step.

    The step is spent by one conditional UPDATE, so of parallel requests with the same code exactly
    one succeeds (RFC 6238 section 5.2; issue 7, item 8).
    """
    secret = _secret(components, account)
    if secret is None:
        return False
    counter = matching_counter(secret, code, last_counter=account.totp_last_counter)
    if counter is None:
        return False
    return await accounts.spend_totp_step(session, account_id=account.id, counter=counter)


async def _own_account(session: AsyncSession, account_id: str) -> Account:
    account = await accounts.get(session, account_id=account_id)
    if account is None:
        raise UnprocessableContent("The account no longer exists.", slug="account-gone")
    return account


async def start_enrollment(
    session: AsyncSession, components: IdentityComponents, *, account_id: str
) -> TotpEnrollmentOut:
    account = await _own_account(session, account_id)
    if account.totp_enabled:
        raise Conflict("A second factor is already enabled; disable it first.", slug="totp-enabled")
    return enrollment_for(components, account)


async def confirm_enrollment(
    session: AsyncSession, components: IdentityComponents, *, account_id: str, code: str
) -> None:
    account = await _own_account(session, account_id)
    if account.totp_enabled or not await accept_code(session, components, account, code):
        raise UnprocessableContent(
            "The code does not match; check the authenticator app's clock.", slug="invalid-totp"
        )
    account.totp_enabled = True
    account.updated_at = utcnow()
    await record_audit(
        session, action="totp.enabled", actor_account_id=account.id, subject_account_id=account.id
    )


async def disable(
    session: AsyncSession, components: IdentityComponents, *, account_id: str, code: str
) -> None:
    account = await _own_account(session, account_id)
    if components.settings.totp_required_for_staff and account.kind == AccountKind.STAFF:
        raise Forbidden("The policy requires a second factor for staff accounts.", slug="totp-mandatory")
    if not account.totp_enabled or not await accept_code(session, components, account, code):
        raise UnprocessableContent("The code does not match.", slug="invalid-totp")
    account.totp_enabled = False
    account.totp_secret_enc = None
    account.updated_at = utcnow()
    await record_audit(
        session, action="totp.disabled", actor_account_id=account.id, subject_account_id=account.id
    )
