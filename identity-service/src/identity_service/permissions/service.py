"""Permissions per function (Art. 15.1): the DIC grants and revokes them per account and unit."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal, ensure_permission_in_unit
from hues_shared.contracts.identity import PermissionGranted, PermissionRevoked
from hues_shared.events.outbox import record_event
from hues_shared.permissions import PERMISSIONS_GRANT, catalogue, is_known
from hues_shared.permissions import get as get_declared
from hues_shared.problems import Forbidden, NotFound, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.models import Account, AccountStatus
from identity_service.audit.service import record_audit
from identity_service.db import tables
from identity_service.permissions import repository
from identity_service.permissions.models import PermissionGrant
from identity_service.permissions.schemas import FunctionPermissionOut, GrantOut
from identity_service.units.service import get_unit

ACCOUNT_WIDE = "*"


def get_catalogue() -> list[FunctionPermissionOut]:
    """Every function permission the services declared in the shared library."""
    return [
        FunctionPermissionOut(
            code=p.code,
            service=p.service,
            description=p.description,
            holders=sorted(p.holders) if p.holders is not None else None,
        )
        for p in catalogue()
    ]


async def _live_account(session: AsyncSession, *, account_id: str) -> Account:
    account = await accounts.get(session, account_id=account_id)
    if account is None or account.status == AccountStatus.CLOSED:
        raise NotFound(f"No account {account_id}.")
    return account


def _ensure_may_grant(principal: Principal, *, account: Account, unit_id: str | None) -> None:
    """identity.permission.grant platform-wide: any grant. Within unit X (Art. 13.1): only grants within
    X, to X's own accounts — never a platform-wide grant, never reaching another unit."""
    if principal.holds(PERMISSIONS_GRANT):
        return
    ensure_permission_in_unit(principal, PERMISSIONS_GRANT, unit_id)
    if account.unit_id != unit_id:
        raise Forbidden(
            "A grant within your unit goes only to your unit's own accounts (Art. 13.1).", slug="outside-unit"
        )


async def get_grants(session: AsyncSession, *, account_id: str, principal: Principal) -> list[GrantOut]:
    account = await _live_account(session, account_id=account_id)
    if not principal.holds(PERMISSIONS_GRANT):
        ensure_permission_in_unit(principal, PERMISSIONS_GRANT, account.unit_id)
    return [GrantOut.model_validate(g) for g in await repository.get_all(session, account_id=account_id)]


async def grant_permission(
    session: AsyncSession,
    *,
    account_id: str,
    permission: str,
    unit_id: str | None,
    actor_account_id: str,
    principal: Principal | None = None,
) -> GrantOut:
    """Idempotent: granting what is already granted changes nothing and publishes nothing. `principal`
    is the caller (None only for the bootstrap seed)."""
    if not is_known(permission):
        raise UnprocessableContent(
            f"Unknown permission {permission}; see GET /v1/permissions.", slug="unknown-permission"
        )
    account = await _live_account(session, account_id=account_id)
    if principal is not None:
        _ensure_may_grant(principal, account=account, unit_id=unit_id)
    declared = get_declared(permission)
    if declared is not None and not declared.may_be_held_by(account.kind):
        kinds = ", ".join(sorted(declared.holders or ()))
        raise UnprocessableContent(
            f"{permission} is held only by {kinds} accounts; this is a {account.kind} account "
            "(see `holders` in GET /v1/permissions).",
            slug="holder-not-allowed",
        )
    if unit_id is not None:
        await get_unit(session, unit_id=unit_id)
    unit_key = unit_id or ACCOUNT_WIDE
    existing = await repository.get(session, account_id=account.id, permission=permission, unit_key=unit_key)
    if existing is not None:
        return GrantOut.model_validate(existing)
    now = utcnow()
    grant = PermissionGrant(
        account_id=account.id,
        permission=permission,
        unit_id=unit_id,
        unit_key=unit_key,
        granted_by=actor_account_id,
        granted_at=now,
    )
    await repository.create(session, grant=grant)
    await record_event(
        session,
        tables,
        PermissionGranted(
            account_id=account.id,
            permission=permission,
            unit_id=unit_id,
            granted_by=actor_account_id,
            granted_at=now,
        ),
    )
    await record_audit(
        session,
        action="permission.granted",
        actor_account_id=actor_account_id,
        subject_account_id=account.id,
        permission=permission,
        unit_id=unit_id,
    )
    return GrantOut.model_validate(grant)


async def revoke_permission(
    session: AsyncSession, *, account_id: str, permission: str, unit_id: str | None, principal: Principal
) -> None:
    """The gateway refuses tokens issued before the PermissionRevoked event within seconds."""
    actor_account_id = principal.account_id
    account = await _live_account(session, account_id=account_id)
    _ensure_may_grant(principal, account=account, unit_id=unit_id)
    grant = await repository.get(
        session, account_id=account.id, permission=permission, unit_key=unit_id or ACCOUNT_WIDE
    )
    if grant is None:
        raise NotFound(f"The account does not hold {permission} in that scope.")
    await repository.delete(session, grant=grant)
    now = utcnow()
    await record_event(
        session,
        tables,
        PermissionRevoked(
            account_id=account.id,
            permission=permission,
            unit_id=unit_id,
            revoked_by=actor_account_id,
            revoked_at=now,
        ),
    )
    await record_audit(
        session,
        action="permission.revoked",
        actor_account_id=actor_account_id,
        subject_account_id=account.id,
        permission=permission,
        unit_id=unit_id,
    )
