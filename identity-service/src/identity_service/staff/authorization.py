"""Who may manage which staff: the DIC everywhere, an agency admin its own unit's officers (Art. 13.1)."""

from __future__ import annotations

from hues_shared.auth.principal import Principal, Role
from hues_shared.permissions import STAFF_MANAGE
from hues_shared.problems import Forbidden

OFFICER_ONLY = frozenset({Role.AGENCY_OFFICER.value})


def is_dic_staff_manager(principal: Principal) -> bool:
    return STAFF_MANAGE in principal.permissions


def ensure_can_manage_unit_staff(principal: Principal, *, unit_id: str, role: str | None = None) -> None:
    """DIC staff managers: any unit, any role. Agency admins: their unit, the officer role only."""
    if is_dic_staff_manager(principal):
        return
    if principal.has_role(Role.AGENCY_ADMIN) and principal.unit_id == unit_id:
        if role is None or role == Role.AGENCY_OFFICER:
            return
        raise Forbidden("An agency admin assigns only the agency officer role.", slug="role-not-assignable")
    raise Forbidden("You manage only your own unit's officers (Art. 13.1).", slug="other-unit")


def ensure_can_manage_officer(
    principal: Principal,
    *,
    target_kind: str,
    target_unit_id: str | None,
    target_roles: list[str],
    permission: str,
) -> None:
    """Lock/unlock/reset: holders of `permission` act on anyone; agency admins on their unit's officers."""
    if permission in principal.permissions:
        return
    if (
        principal.has_role(Role.AGENCY_ADMIN)
        and target_kind == "staff"
        and target_unit_id is not None
        and target_unit_id == principal.unit_id
        and set(target_roles) <= OFFICER_ONLY
    ):
        return
    raise Forbidden("You manage only your own unit's officers (Art. 13.1).", slug="other-unit")
