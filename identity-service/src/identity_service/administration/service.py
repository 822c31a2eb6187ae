"""Account administration (Art. 13.2): search, lock, unlock, reset, close; never a password or full number."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal, ensure_permission_in_unit
from hues_shared.contracts.identity import AccountLocked, AccountUnlocked
from hues_shared.events.outbox import record_event
from hues_shared.pagination import Page, keyset_page
from hues_shared.permissions import ACCOUNTS_ADMINISTER
from hues_shared.problems import Conflict, NotFound, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.models import Account, AccountStatus
from identity_service.accounts.schemas import AccountOut
from identity_service.accounts.service import close_account, login_names, username_indexes
from identity_service.accounts.views import account_out
from identity_service.audit.service import record_audit
from identity_service.auth import throttling
from identity_service.components import IdentityComponents
from identity_service.db import tables
from identity_service.passwords.service import force_password_reset
from identity_service.permissions import repository as permissions
from identity_service.sessions.service import revoke_all_sessions
from identity_service.staff import repository as staff
from identity_service.staff.authorization import ensure_can_manage_officer


async def search_accounts(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    identifier: str | None,
    name: str | None,
    kind: str | None,
    status: str | None,
    unit_id: str | None,
    cursor: str | None,
    limit: int,
    principal: Principal,
) -> Page[AccountOut]:
    """An exact document number, phone or tax code is found through the blind index; names by substring.
    A grant within units (Art. 13.1) searches those units' accounts only."""
    within = principal.units_for(ACCOUNTS_ADMINISTER)
    if within is not None and unit_id is not None:
        ensure_permission_in_unit(principal, ACCOUNTS_ADMINISTER, unit_id)
    indexes = username_indexes(components, identifier) if identifier else None
    return await keyset_page(
        lambda after, size: accounts.search(
            session,
            blind_indexes=indexes,
            name=name,
            kind=kind,
            status=status,
            unit_id=unit_id,
            after_id=str(after[0]) if after else None,
            limit=size,
            within_units=sorted(within) if within is not None else None,
        ),
        cursor=cursor,
        limit=limit,
        key=lambda account: [account.id],
        item=lambda account: account_out(session, components, account=account, reveal=False),
    )


async def _target(session: AsyncSession, *, account_id: str, principal: Principal) -> Account:
    """The account to act on, if the caller may act on it (agency admins: their own unit's officers)."""
    account = await accounts.get(session, account_id=account_id)
    if account is None or account.status == AccountStatus.CLOSED:
        raise NotFound(f"No account {account_id}.")
    ensure_can_manage_officer(
        principal,
        target_kind=account.kind,
        target_unit_id=account.unit_id,
        target_roles=await staff.get_roles(session, account_id=account.id),
        permission=ACCOUNTS_ADMINISTER,
    )
    if account.id == principal.account_id:
        raise UnprocessableContent(
            "Administrators do not act on their own account here.", slug="self-administration"
        )
    return account


async def get_account(
    session: AsyncSession, components: IdentityComponents, *, account_id: str, principal: Principal
) -> AccountOut:
    account = await _target(session, account_id=account_id, principal=principal)
    return await account_out(session, components, account=account, reveal=False)


async def lock_account(
    session: AsyncSession, *, account_id: str, reason: str, principal: Principal, client_address: str | None
) -> None:
    """Until unlocked; every session ends and the gateway refuses its tokens on AccountLocked."""
    account = await _target(session, account_id=account_id, principal=principal)
    if account.status == AccountStatus.LOCKED:
        raise Conflict("The account is already locked.", slug="already-locked")
    now = utcnow()
    account.status, account.lock_reason, account.updated_at = AccountStatus.LOCKED, reason, now
    await revoke_all_sessions(session, account_id=account.id, reason="account_locked")
    await record_event(
        session, tables, AccountLocked(account_id=account.id, reason=reason, locked_until=None, locked_at=now)
    )
    await record_audit(
        session,
        action="account.locked",
        actor_account_id=principal.account_id,
        subject_account_id=account.id,
        client_address=client_address,
        reason=reason,
    )


async def unlock_account(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account_id: str,
    principal: Principal,
    client_address: str | None,
) -> None:
    """Lifts an administrative lock and any brute-force lockout."""
    account = await _target(session, account_id=account_id, principal=principal)
    now = utcnow()
    if account.status == AccountStatus.LOCKED:
        account.status = AccountStatus.ACTIVE if account.verified_at else AccountStatus.PENDING
    account.lock_reason, account.updated_at = None, now
    for name in login_names(components, account):
        await throttling.clear_login_name(session, digest=throttling.login_name_digest(components, name))
    await record_event(session, tables, AccountUnlocked(account_id=account.id, unlocked_at=now))
    await record_audit(
        session,
        action="account.unlocked",
        actor_account_id=principal.account_id,
        subject_account_id=account.id,
        client_address=client_address,
    )


async def reset_password(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account_id: str,
    principal: Principal,
    client_address: str | None,
) -> None:
    account = await _target(session, account_id=account_id, principal=principal)
    await force_password_reset(
        session,
        components,
        account=account,
        actor_account_id=principal.account_id,
        client_address=client_address,
    )


async def close(
    session: AsyncSession, *, account_id: str, reason: str, principal: Principal, client_address: str | None
) -> None:
    account = await _target(session, account_id=account_id, principal=principal)
    await staff.delete_all(session, account_id=account.id)
    await permissions.delete_all(session, account_id=account.id)
    await close_account(
        session,
        account=account,
        actor_account_id=principal.account_id,
        client_address=client_address,
        reason=reason,
    )
