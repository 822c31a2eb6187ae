"""Who may manage which staff (Art. 13.1): a grant platform-wide reaches every unit, a grant within a unit
(`code@unit` in the token) reaches that unit only, an agency admin its own unit's officers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from hues_shared.auth.principal import CurrentPrincipal, Principal, Role
from hues_shared.permissions import ACCOUNTS_ADMINISTER, STAFF_MANAGE
from hues_shared.problems import Forbidden

OFFICER_ONLY = frozenset({Role.AGENCY_OFFICER.value})
# Roles only a platform-wide grant hands out: a unit-scoped grant must not mint DIC administrators.
PLATFORM_ONLY_ROLES = frozenset({Role.DIC_ADMIN.value})


def manages_some_staff(principal: CurrentPrincipal) -> Principal:
    """Function-level gate of the staff routes: identity.staff.manage somewhere, or an agency admin.
    Which unit and which role is the object-level check below (Art. 13.1)."""
    if principal.holds_anywhere(STAFF_MANAGE) or principal.has_role(Role.AGENCY_ADMIN):
        return principal
    raise Forbidden(f"Managing staff needs {STAFF_MANAGE} or the agency admin role (Art. 13.1).")


def administers_some_accounts(principal: CurrentPrincipal) -> Principal:
    """Function-level gate of account administration: identity.account.administer somewhere, or an
    agency admin (its own unit's officers). The target is checked by `ensure_can_manage_officer`."""
    if principal.holds_anywhere(ACCOUNTS_ADMINISTER) or principal.has_role(Role.AGENCY_ADMIN):
        return principal
    raise Forbidden(f"Administering accounts needs {ACCOUNTS_ADMINISTER} (Art. 13.2).")


StaffManager = Annotated[Principal, Depends(manages_some_staff)]
AccountAdministrator = Annotated[Principal, Depends(administers_some_accounts)]


def _outside_unit() -> Forbidden:
    return Forbidden("You manage only your own unit's staff (Art. 13.1).", slug="outside-unit")


def ensure_can_manage_unit_staff(principal: Principal, *, unit_id: str, role: str | None = None) -> None:
    """identity.staff.manage platform-wide: any unit, any role. Within unit X: X's staff, no DIC
    administrator. Agency admins without the permission: their own unit, the officer role only."""
    if principal.holds(STAFF_MANAGE):
        return
    if principal.holds(STAFF_MANAGE, unit_id=unit_id):
        if role in PLATFORM_ONLY_ROLES:
            raise Forbidden(
                f"Only a platform-wide {STAFF_MANAGE} grant assigns the {role} role (Art. 13.2).",
                slug="role-not-assignable",
            )
        return
    if principal.has_role(Role.AGENCY_ADMIN) and principal.unit_id == unit_id:
        if role is None or role == Role.AGENCY_OFFICER:
            return
        raise Forbidden("An agency admin assigns only the agency officer role.", slug="role-not-assignable")
    raise _outside_unit()


def ensure_can_manage_officer(
    principal: Principal,
    *,
    target_kind: str,
    target_unit_id: str | None,
    target_roles: list[str],
    permission: str,
) -> None:
    """Lock/unlock/reset/close: `permission` platform-wide reaches anyone; within unit X, X's staff but
    no DIC administrator; an agency admin, its own unit's officers."""
    if principal.holds(permission):
        return
    in_unit = target_kind == "staff" and target_unit_id is not None
    if (
        in_unit
        and principal.holds(permission, unit_id=target_unit_id)
        and not PLATFORM_ONLY_ROLES.intersection(target_roles)
    ):
        return
    if (
        in_unit
        and principal.has_role(Role.AGENCY_ADMIN)
        and target_unit_id == principal.unit_id
        and set(target_roles) <= OFFICER_ONLY
    ):
        return
    raise _outside_unit()
