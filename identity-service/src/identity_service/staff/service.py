"""Staff accounts of units and their roles; every grant and revocation is audited and published."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal, Role
from hues_shared.contracts.identity import AccountRegistered, RoleGranted, RoleRevoked
from hues_shared.events.outbox import record_event
from hues_shared.pagination import Page, keyset_page
from hues_shared.problems import NotFound, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.identifiers import normalize_email, normalize_phone
from identity_service.accounts.models import Account, AccountKind, AccountStatus
from identity_service.accounts.protection import mask_phone
from identity_service.accounts.schemas import AccountOut
from identity_service.accounts.service import (
    IDENTIFIER_REFUSALS,
    claim_identifiers,
    encrypt_field,
    login_name_indexes,
    new_account,
    parse_field,
)
from identity_service.accounts.views import account_out
from identity_service.audit.service import record_audit
from identity_service.components import IdentityComponents
from identity_service.db import tables
from identity_service.messages.service import queue_message
from identity_service.passwords.service import set_password, temporary_password
from identity_service.staff import repository
from identity_service.staff.authorization import ensure_can_manage_unit_staff
from identity_service.staff.models import RoleAssignment
from identity_service.staff.schemas import RolesOut, StaffCreatedOut, StaffCreateIn
from identity_service.units.models import Unit, UnitKind
from identity_service.units.service import get_unit

# Roles tied to a kind of unit; the others fit any agency.
_ROLE_UNIT_KINDS = {Role.DIC_ADMIN.value: UnitKind.DIC.value, Role.IOC_OPERATOR.value: UnitKind.IOC.value}


def _ensure_role_fits_unit(role: str, unit: Unit) -> None:
    required = _ROLE_UNIT_KINDS.get(role)
    if required is not None and unit.kind != required:
        raise UnprocessableContent(
            f"The role {role} belongs to a unit of kind {required}.", slug="role-unit-mismatch"
        )


async def _assign(
    session: AsyncSession, *, account: Account, role: str, unit_id: str, actor_account_id: str
) -> None:
    if await repository.get(session, account_id=account.id, role=role) is not None:
        return
    now = utcnow()
    await repository.create(
        session,
        assignment=RoleAssignment(
            account_id=account.id, role=role, unit_id=unit_id, granted_by=actor_account_id, granted_at=now
        ),
    )
    await record_event(
        session,
        tables,
        RoleGranted(
            account_id=account.id, role=role, unit_id=unit_id, granted_by=actor_account_id, granted_at=now
        ),
    )
    await record_audit(
        session,
        action="role.granted",
        actor_account_id=actor_account_id,
        subject_account_id=account.id,
        role=role,
        unit_id=unit_id,
    )


async def create_staff(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    unit_id: str,
    data: StaffCreateIn,
    principal: Principal,
) -> StaffCreatedOut:
    """An active staff account in one unit; its temporary password goes by SMS, changed at first login."""
    ensure_can_manage_unit_staff(principal, unit_id=unit_id, role=data.role)
    unit = await get_unit(session, unit_id=unit_id)
    _ensure_role_fits_unit(data.role, unit)
    phone = parse_field("phone", normalize_phone, data.phone)
    email = parse_field("email", normalize_email, data.email) if data.email else None
    account = await create_staff_account(
        session,
        components,
        unit=unit,
        full_name=data.full_name,
        phone=phone,
        email=email,
        role=data.role,
        actor_account_id=principal.account_id,
    )
    password = temporary_password()
    await set_password(session, components, account=account, password=password, must_change=True)
    text = (
        f"Hue-S: tai khoan can bo cua ban da duoc tao. Mat khau tam thoi: {password}. "
        "Hay doi ngay khi dang nhap."
    )
    await queue_message(
        session,
        components,
        channel="sms",
        destination=phone,
        text=text,
        purpose="staff_temporary_password",
        account_id=account.id,
    )
    return StaffCreatedOut(
        account_id=account.id,
        unit_id=unit.id,
        roles=[data.role],
        temporary_password_sent_to=mask_phone(phone) or "",
    )


async def create_staff_account(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    unit: Unit,
    full_name: str,
    phone: str,
    email: str | None,
    role: str,
    actor_account_id: str,
) -> Account:
    """The account row, its phone identifier and first role (no password yet); used by the bootstrap too."""
    identifiers = login_name_indexes(components, "phone", phone)
    await claim_identifiers(session, components, identifiers=identifiers, refusals=IDENTIFIER_REFUSALS)
    account = new_account(kind=AccountKind.STAFF, display_name=full_name.strip())
    account.status = AccountStatus.ACTIVE
    account.verified_at = account.created_at
    account.unit_id = unit.id
    account.phone_enc = encrypt_field(components, account, "phone", phone)
    account.email_enc = encrypt_field(components, account, "email", email)
    await accounts.create(session, account=account, identifiers=identifiers)
    await record_event(
        session,
        tables,
        AccountRegistered(
            account_id=account.id,
            kind=account.kind,
            display_name=account.display_name,
            registered_at=account.created_at,
        ),
    )
    await record_audit(
        session,
        action="staff.created",
        actor_account_id=actor_account_id,
        subject_account_id=account.id,
        unit_id=unit.id,
    )
    await _assign(session, account=account, role=role, unit_id=unit.id, actor_account_id=actor_account_id)
    return account


async def _staff_account(session: AsyncSession, *, account_id: str) -> Account:
    account = await accounts.get(session, account_id=account_id)
    if account is None or account.kind != AccountKind.STAFF or account.status == AccountStatus.CLOSED:
        raise NotFound(f"No staff account {account_id}.")
    assert account.unit_id is not None
    return account


async def grant_role(session: AsyncSession, *, account_id: str, role: str, principal: Principal) -> RolesOut:
    """Assign a role scoped to the account's unit; agency admins give only the officer role."""
    account = await _staff_account(session, account_id=account_id)
    assert account.unit_id is not None
    ensure_can_manage_unit_staff(principal, unit_id=account.unit_id, role=role)
    _ensure_role_fits_unit(role, await get_unit(session, unit_id=account.unit_id))
    await _assign(
        session, account=account, role=role, unit_id=account.unit_id, actor_account_id=principal.account_id
    )
    return await get_roles(session, account=account)


async def revoke_role(session: AsyncSession, *, account_id: str, role: str, principal: Principal) -> RolesOut:
    """Take a role away; the gateway refuses older tokens on the RoleRevoked event."""
    account = await _staff_account(session, account_id=account_id)
    assert account.unit_id is not None
    ensure_can_manage_unit_staff(principal, unit_id=account.unit_id, role=role)
    assignment = await repository.get(session, account_id=account.id, role=role)
    if assignment is None:
        raise NotFound(f"The account does not hold the role {role}.")
    await repository.delete(session, assignment=assignment)
    now = utcnow()
    await record_event(
        session,
        tables,
        RoleRevoked(
            account_id=account.id,
            role=role,
            unit_id=assignment.unit_id,
            revoked_by=principal.account_id,
            revoked_at=now,
        ),
    )
    await record_audit(
        session,
        action="role.revoked",
        actor_account_id=principal.account_id,
        subject_account_id=account.id,
        role=role,
        unit_id=assignment.unit_id,
    )
    return await get_roles(session, account=account)


async def get_roles(session: AsyncSession, *, account: Account) -> RolesOut:
    return RolesOut(
        account_id=account.id,
        unit_id=account.unit_id,
        roles=await repository.get_roles(session, account_id=account.id),
    )


async def get_staff_roles(session: AsyncSession, *, account_id: str, principal: Principal) -> RolesOut:
    account = await _staff_account(session, account_id=account_id)
    assert account.unit_id is not None
    ensure_can_manage_unit_staff(principal, unit_id=account.unit_id)
    return await get_roles(session, account=account)


async def get_unit_staff(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    unit_id: str,
    principal: Principal,
    cursor: str | None,
    limit: int,
) -> Page[AccountOut]:
    await get_unit(session, unit_id=unit_id)  # units are public bodies: an unknown one is a plain 404
    ensure_can_manage_unit_staff(principal, unit_id=unit_id)
    return await keyset_page(
        lambda after, size: accounts.search(
            session,
            blind_indexes=None,
            name=None,
            kind=AccountKind.STAFF,
            status=None,
            unit_id=unit_id,
            after_id=str(after[0]) if after else None,
            limit=size,
        ),
        cursor=cursor,
        limit=limit,
        key=lambda account: [account.id],
        item=lambda account: account_out(session, components, account=account, reveal=False),
    )
