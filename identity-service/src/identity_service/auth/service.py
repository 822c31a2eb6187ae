"""The OAuth 2.0 token endpoint's grants (RFC 6749): password and refresh_token; revocation (RFC 7009).

Every refusal of the password grant looks the same whether or not the account exists, and costs the
same Argon2 work; failures are counted per normalised login name, per (login name, address) and per
client address, with a progressive delay and no permanent lockout (`throttling.py`, ASVS 2.2.1).
Refusals are raised as `OAuthError` (a `RecordedRefusal`: the counters and audit rows commit).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.problems import ProblemError
from identity_service.accounts import repository as accounts
from identity_service.accounts.models import Account, AccountStatus
from identity_service.accounts.service import find_by_username
from identity_service.accounts.views import roles_of
from identity_service.audit.service import record_audit
from identity_service.auth import throttling
from identity_service.auth.schemas import OAuthError, TokenOut
from identity_service.auth.tokens import access_token_claims
from identity_service.components import IdentityComponents
from identity_service.passwords.service import is_password_expired
from identity_service.permissions import repository as permissions
from identity_service.sessions import service as sessions
from identity_service.sessions.models import LoginSession
from identity_service.totp import service as totp
from identity_service.verification import service as verification


def bad_credentials() -> OAuthError:
    return OAuthError("invalid_grant", "The login name or password is wrong.")


def must_wait() -> OAuthError:
    return OAuthError(
        "invalid_grant",
        "Too many failed sign-ins; sign-in is blocked for a while. Try again later.",
        blocked=True,
    )


async def issue_tokens(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account,
    login_session: LoginSession,
    refresh_token: str,
) -> TokenOut:
    roles = await roles_of(session, account=account)
    codes = await permissions.get_scoped_codes(session, account_id=account.id)
    expired = is_password_expired(components, account)
    if components.keys.is_stale:
        await components.keys.load(session)
    claims = access_token_claims(
        components.settings,
        account=account,
        session_id=login_session.id,
        roles=roles,
        permissions=codes,
        password_expired=expired,
    )
    return TokenOut(
        access_token=components.keys.sign(claims),
        expires_in=components.settings.access_token_seconds,
        refresh_token=refresh_token,
        password_expired=expired,
    )


async def _count_failure(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account | None,
    keys: throttling.LoginKeys,
    client_address: str | None,
    reason: str,
) -> None:
    """Audit the failure and count it on the login name, the (name, address) pair and the address."""
    await record_audit(
        session,
        action="login.failed",
        outcome="failure",
        subject_account_id=account.id if account else None,
        client_address=client_address,
        reason=reason,
    )
    until = await throttling.record_login_failure(session, components.settings, keys)
    if until is not None:
        # A delay, not a lock: no AccountLocked event, so the owner's open sessions are left alone.
        await record_audit(
            session,
            action="login.delayed",
            outcome="failure",
            subject_account_id=account.id if account else None,
            client_address=client_address,
            delayed_until=until.isoformat(),
        )


async def password_grant(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    username: str,
    password: str,
    totp_code: str | None,
    client_address: str | None,
    user_agent: str | None,
    enrollment_code: str | None = None,
) -> TokenOut:
    """Log in with a document number, phone or tax code and the password (Art. 3.2, 9.1).

    Every refusal before the password is known to be right looks the same and costs one Argon2
    verification, whether or not the account exists (a dummy hash stands in for a missing one).
    """
    account = await find_by_username(session, components, username=username)
    if account is not None and account.status == AccountStatus.CLOSED:
        account = None
    keys = throttling.login_keys(components, username=username, client_address=client_address)
    password_hash = account.password_hash if account is not None else None
    if await throttling.must_wait(session, components.settings, keys):
        await components.hasher.verify(password, None)  # same cost as any other refusal
        await record_audit(
            session,
            action="login.blocked",
            outcome="failure",
            subject_account_id=account.id if account else None,
            client_address=client_address,
        )
        raise must_wait()
    if not await components.hasher.verify(password, password_hash) or account is None:
        await _count_failure(
            session,
            components,
            account=account,
            keys=keys,
            client_address=client_address,
            reason="bad_credentials",
        )
        raise bad_credentials()
    # The password is right: from here on, saying why is no longer an enumeration leak.
    if account.status == AccountStatus.PENDING:
        raise OAuthError(
            "invalid_grant", "The account is not verified yet; confirm the code sent to your phone."
        )
    if account.status == AccountStatus.LOCKED:
        await record_audit(
            session,
            action="login.refused_locked",
            outcome="failure",
            subject_account_id=account.id,
            client_address=client_address,
        )
        raise OAuthError("invalid_grant", "The account is locked; contact the DIC (Art. 13.2).")
    if totp.is_required(components, account):
        await _second_factor(
            session,
            components,
            account=account,
            code=totp_code,
            enrollment_code=enrollment_code,
            keys=keys,
            client_address=client_address,
        )
    await throttling.clear_login_name(session, digest=throttling.login_name_digest(components, username))
    if account.password_hash and components.hasher.needs_rehash(account.password_hash):
        account.password_hash = await components.hasher.hash(password)
    login_session, refresh_token = await sessions.start_session(
        session,
        account_id=account.id,
        lifetime=timedelta(days=components.settings.refresh_token_days),
        client_address=client_address,
        user_agent=user_agent,
    )
    await record_audit(
        session,
        action="login.succeeded",
        subject_account_id=account.id,
        client_address=client_address,
        session_id=login_session.id,
    )
    return await issue_tokens(
        session, components, account=account, login_session=login_session, refresh_token=refresh_token
    )


async def _second_factor(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account,
    code: str | None,
    enrollment_code: str | None,
    keys: throttling.LoginKeys,
    client_address: str | None,
) -> None:
    """Returns when the TOTP code is good; enrolls here when the policy requires a factor not yet set."""
    if not account.totp_enabled and not code:
        await _enroll(
            session, components, account=account, code=enrollment_code, client_address=client_address
        )
    if not code:
        raise OAuthError(
            "invalid_grant", "A code from your authenticator app is required (`totp`).", mfa_required=True
        )
    if not await totp.accept_code(session, components, account, code):
        await _count_failure(
            session, components, account=account, keys=keys, client_address=client_address, reason="bad_totp"
        )
        raise OAuthError("invalid_grant", "The authenticator code is wrong.", mfa_required=True)
    if not account.totp_enabled:
        account.totp_enabled = True
        await record_audit(
            session, action="totp.enabled", subject_account_id=account.id, client_address=client_address
        )


async def _enroll(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account,
    code: str | None,
    client_address: str | None,
) -> None:
    """Second-factor enrollment at sign-in: the password alone must not hand out the secret (issue 7,
    item 14). First a one-time code goes by SMS to the account's phone; signing in again with it in
    `enrollment_code` answers the secret; signing in with a code from the app then turns the factor on.
    Always raises: no token until the factor is set."""
    try:
        if code is None:
            sent = await verification.send_verification_code(
                session,
                components,
                account=account,
                channel="sms",
                purpose=verification.TOTP_ENROLLMENT,
                template=verification.TOTP_ENROLLMENT_TEXT,
            )
            raise OAuthError(
                "invalid_grant",
                f"A second factor is required for this account. A one-time code went by SMS to "
                f"{sent.destination}; sign in again with it in the `enrollment_code` field to receive the "
                "secret for your authenticator app.",
                mfa_enrollment_code_sent=sent.model_dump(mode="json"),
            )
        await verification.check_code(
            session,
            components,
            account=account,
            purpose=verification.TOTP_ENROLLMENT,
            code=code,
            client_address=client_address,
            failure_action="totp.enrollment_code_failed",
        )
    except ProblemError as refusal:
        if isinstance(refusal, OAuthError):
            raise
        raise OAuthError("invalid_grant", refusal.detail or refusal.title, status=refusal.status) from refusal
    enrollment = totp.enrollment_for(components, account)
    raise OAuthError(
        "invalid_grant",
        "Add the secret to an authenticator app, then sign in again with its code in the `totp` field.",
        mfa_enrollment=enrollment.model_dump(),
    )


async def refresh_grant(
    session: AsyncSession, components: IdentityComponents, *, refresh_token: str, client_address: str | None
) -> TokenOut:
    """Rotate the refresh token; a spent one presented again revokes the whole session family."""
    outcome = await sessions.rotate_refresh_token(session, refresh_token=refresh_token)
    if outcome.refused_because == "reused" and outcome.login_session is not None:
        await record_audit(
            session,
            action="session.refresh_reuse",
            outcome="failure",
            subject_account_id=outcome.login_session.account_id,
            client_address=client_address,
            session_id=outcome.login_session.id,
        )
        raise OAuthError("invalid_grant", "The refresh token was already used; the session has been ended.")
    if outcome.login_session is None or outcome.new_refresh_token is None:
        raise OAuthError("invalid_grant", "The refresh token is not valid.")
    account = await accounts.get(session, account_id=outcome.login_session.account_id)
    if account is None or account.status != AccountStatus.ACTIVE:
        await sessions.revoke_session(
            session, login_session=outcome.login_session, reason="account_not_active"
        )
        raise OAuthError("invalid_grant", "The account cannot sign in.")
    return await issue_tokens(
        session,
        components,
        account=account,
        login_session=outcome.login_session,
        refresh_token=outcome.new_refresh_token,
    )


async def revoke_token(
    session: AsyncSession, components: IdentityComponents, *, token: str, access_claims_session_id: str | None
) -> None:
    """RFC 7009: end the session a refresh token (or an access token's `sid`) belongs to; unknown is fine."""
    stored = await sessions.repository.get_refresh_token(
        session, token_hash=sessions.hash_refresh_token(token)
    )
    session_id = stored.session_id if stored is not None else access_claims_session_id
    if session_id is None:
        return
    login_session = await sessions.get_session(session, session_id=session_id)
    if login_session is not None:
        await sessions.revoke_session(session, login_session=login_session, reason="revoked")
        await record_audit(
            session,
            action="session.revoked",
            subject_account_id=login_session.account_id,
            session_id=login_session.id,
        )


async def logout_everywhere(session: AsyncSession, *, account_id: str, client_address: str | None) -> None:
    await sessions.revoke_all_sessions(session, account_id=account_id, reason="logout_all")
    await record_audit(
        session,
        action="session.logout_all",
        actor_account_id=account_id,
        subject_account_id=account_id,
        client_address=client_address,
    )
