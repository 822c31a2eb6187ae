"""The caller's own account: view in full, change, export everything, close (Law 91/2025)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.problems import Forbidden, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.identifiers import normalize_email
from identity_service.accounts.models import Account, AccountKind, AccountStatus
from identity_service.accounts.schemas import AccountOut
from identity_service.accounts.service import close_account, invalid_field, parse_field
from identity_service.accounts.views import account_out
from identity_service.audit import repository as audit_log
from identity_service.audit.schemas import AuditEventOut
from identity_service.audit.service import record_audit
from identity_service.auth.confirmation import confirm_holder
from identity_service.components import IdentityComponents
from identity_service.passwords import repository as password_history
from identity_service.permissions import repository as permissions
from identity_service.permissions.schemas import GrantOut
from identity_service.profile.schemas import (
    ConfirmationIn,
    PersonalDataExport,
    ProfileUpdateIn,
    SessionOut,
)
from identity_service.sessions import repository as sessions
from identity_service.staff import repository as staff
from identity_service.wards.service import is_known_ward


async def _own_account(session: AsyncSession, account_id: str) -> Account:
    account = await accounts.get(session, account_id=account_id)
    if account is None or account.status == AccountStatus.CLOSED:
        raise UnprocessableContent("The account no longer exists.", slug="account-gone")
    return account


async def get_me(session: AsyncSession, components: IdentityComponents, *, account_id: str) -> AccountOut:
    return await account_out(
        session, components, account=await _own_account(session, account_id), reveal=True
    )


async def update_me(
    session: AsyncSession, components: IdentityComponents, *, account_id: str, data: ProfileUpdateIn
) -> AccountOut:
    """E-mail, home ward and (organizations) representative; identifiers that log in do not change here."""
    account = await _own_account(session, account_id)
    changes = data.model_dump(exclude_unset=True)
    if "email" in changes:
        email = parse_field("email", normalize_email, data.email) if data.email else None
        account.email_enc = components.cipher.encrypt(email, field="email", owner_id=account.id)
    if "home_ward_code" in changes:
        if data.home_ward_code and not await is_known_ward(session, code=data.home_ward_code):
            raise invalid_field(
                "home_ward_code", "Not a ward or commune of Hue (see GET /v1/identity/wards)."
            )
        account.home_ward_code = data.home_ward_code
    if data.representative_name:
        if account.kind != AccountKind.ORGANIZATION:
            raise invalid_field("representative_name", "Only organizations have a representative.")
        account.representative_name = data.representative_name
    account.updated_at = utcnow()
    await record_audit(
        session,
        action="profile.updated",
        actor_account_id=account.id,
        subject_account_id=account.id,
        fields=sorted(changes),
    )
    return await account_out(session, components, account=account, reveal=True)


async def export_me(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account_id: str,
    confirmation: ConfirmationIn,
    client_address: str | None,
) -> PersonalDataExport:
    account = await _own_account(session, account_id)
    await confirm_holder(
        session,
        components,
        account=account,
        password=confirmation.password,
        totp_code=confirmation.totp,
        client_address=client_address,
        action="personal_data.export",
    )
    await record_audit(
        session,
        action="personal_data.exported",
        actor_account_id=account.id,
        subject_account_id=account.id,
        client_address=client_address,
    )
    return PersonalDataExport(
        exported_at=utcnow(),
        account=await account_out(session, components, account=account, reveal=True),
        sessions=[
            SessionOut.model_validate(s) for s in await sessions.get_all(session, account_id=account.id)
        ],
        permission_grants=[
            GrantOut.model_validate(g) for g in await permissions.get_all(session, account_id=account.id)
        ],
        password_changed_on=list(await password_history.get_all_dates(session, account_id=account.id)),
        audit_events=[
            AuditEventOut.model_validate(e)
            for e in await audit_log.get_all(
                session, subject_account_id=account.id, action=None, before_id=None, limit=1000
            )
        ],
    )


async def close_me(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account_id: str,
    confirmation: ConfirmationIn,
    client_address: str | None,
) -> None:
    """Citizens and organizations close their own account; staff accounts are closed by the DIC."""
    account = await _own_account(session, account_id)
    if account.kind == AccountKind.STAFF:
        raise Forbidden("Staff accounts are closed by the DIC.", slug="staff-self-close")
    await confirm_holder(
        session,
        components,
        account=account,
        password=confirmation.password,
        totp_code=confirmation.totp,
        client_address=client_address,
        action="account.close",
    )
    await staff.delete_all(session, account_id=account.id)
    await permissions.delete_all(session, account_id=account.id)
    await close_account(
        session,
        account=account,
        actor_account_id=account.id,
        client_address=client_address,
        reason="closed by owner",
    )
