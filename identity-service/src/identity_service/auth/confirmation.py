"""Fresh confirmation by the account holder before closing the account or exporting its data.

A valid 5-minute access token is not enough for these: an unlocked phone or a stolen token has one.
The holder types the password again (and a code from the authenticator when a second factor is on);
failures count per account with the same progressive delay as sign-in (issue 7, item 14).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.problems import RecordedRefusal
from identity_service.accounts.models import Account
from identity_service.audit.service import record_audit
from identity_service.auth import throttling
from identity_service.components import IdentityComponents
from identity_service.totp import service as totp


async def confirm_holder(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account,
    password: str,
    totp_code: str | None,
    client_address: str | None,
    action: str,
) -> None:
    """Returns when the password (and TOTP code, if the factor is on) is right; else a RecordedRefusal."""
    key = f"confirm:{account.id}"
    if await throttling.locked_until(session, key=key) is not None:
        await components.hasher.verify(password, None)
        raise RecordedRefusal(
            "Too many failed confirmations; try again later.",
            slug="confirmation-blocked",
            status=429,
            title="Too many attempts",
        )
    right = await components.hasher.verify(password, account.password_hash)
    if right and account.totp_enabled:
        right = bool(totp_code) and await totp.accept_code(session, components, account, totp_code or "")
    if not right:
        await throttling.record_failure(session, key=key, rule=throttling.name_rule(components.settings))
        await record_audit(
            session,
            action=f"{action}.confirmation_failed",
            outcome="failure",
            actor_account_id=account.id,
            subject_account_id=account.id,
            client_address=client_address,
        )
        raise RecordedRefusal(
            "Confirm with your current password"
            + (" and a code from your authenticator app (`totp`)." if account.totp_enabled else "."),
            slug="confirmation-failed",
            status=403,
            title="Confirmation failed",
        )
    await throttling.clear(session, key=key)
