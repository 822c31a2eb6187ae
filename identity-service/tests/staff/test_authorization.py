"""Who may manage which staff (Art. 13.1): the rule functions on their own, with the problem types the
API returns (killers of mutants that survived `make mutation`, docs/testing.md)."""

import pytest

from hues_shared.auth.principal import Principal
from hues_shared.problems import Forbidden
from identity_service.staff.authorization import ensure_can_manage_officer, ensure_can_manage_unit_staff

ADMINISTER = "identity.account.administer"


def admin_of(unit: str, *permissions: str) -> Principal:
    return Principal(
        account_id="admin",
        roles=frozenset({"agency_admin"}),
        unit_id=unit,
        permissions=frozenset(permissions),
    )


def test_dic_staff_manager_manages_any_unit_and_any_role() -> None:
    dic = Principal(
        account_id="dic", roles=frozenset({"dic_admin"}), permissions=frozenset({"identity.staff.manage"})
    )
    ensure_can_manage_unit_staff(dic, unit_id="u9", role="agency_admin")


def test_agency_admin_manages_officers_of_its_own_unit() -> None:
    ensure_can_manage_unit_staff(admin_of("u1"), unit_id="u1")
    ensure_can_manage_unit_staff(admin_of("u1"), unit_id="u1", role="agency_officer")


def test_agency_admin_without_a_grant_hands_out_only_the_officer_role() -> None:
    with pytest.raises(Forbidden) as refused:
        ensure_can_manage_unit_staff(admin_of("u1"), unit_id="u1", role="agency_admin")
    assert refused.value.slug == "role-not-assignable"


def test_a_grant_within_a_unit_never_mints_a_dic_administrator() -> None:
    """Issue 7 item 9: identity.staff.manage within a unit created a dic_admin; only the DIC's own,
    platform-wide grant assigns that role."""
    with pytest.raises(Forbidden) as refused:
        ensure_can_manage_unit_staff(
            admin_of("u1", "identity.staff.manage@u1"), unit_id="u1", role="dic_admin"
        )
    assert refused.value.slug == "role-not-assignable"


@pytest.mark.parametrize(
    "principal",
    [
        admin_of("u2"),
        Principal(account_id="o", roles=frozenset({"agency_officer"}), unit_id="u1"),
    ],
)
def test_others_are_refused_as_other_unit(principal: Principal) -> None:
    with pytest.raises(Forbidden) as refused:
        ensure_can_manage_unit_staff(principal, unit_id="u1" if principal.unit_id != "u1" else "u3")
    assert refused.value.slug == "outside-unit"


def officer_target(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "target_kind": "staff",
        "target_unit_id": "u1",
        "target_roles": ["agency_officer"],
        "permission": ADMINISTER,
    }
    return values | overrides


def test_holder_of_the_platform_wide_permission_acts_on_anyone() -> None:
    dic = Principal(account_id="dic", permissions=frozenset({ADMINISTER}))
    ensure_can_manage_officer(
        dic, **officer_target(target_kind="citizen", target_unit_id=None, target_roles=[])
    )  # type: ignore[arg-type]


def test_agency_admin_acts_on_its_own_units_officers() -> None:
    ensure_can_manage_officer(admin_of("u1"), **officer_target())  # type: ignore[arg-type]
    ensure_can_manage_officer(admin_of("u1"), **officer_target(target_roles=[]))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "target",
    [
        {"target_kind": "citizen", "target_unit_id": None, "target_roles": []},
        {"target_unit_id": "u2"},
        {"target_unit_id": None},
        {"target_roles": ["agency_officer", "dic_admin"]},
    ],
)
def test_agency_admin_may_not_act_beyond_its_units_officers(target: dict[str, object]) -> None:
    with pytest.raises(Forbidden) as refused:
        ensure_can_manage_officer(admin_of("u1", f"{ADMINISTER}@u1"), **officer_target(**target))  # type: ignore[arg-type]
    assert refused.value.slug == "outside-unit"


def test_an_officer_may_not_act_even_in_its_own_unit() -> None:
    officer = Principal(account_id="o", roles=frozenset({"agency_officer"}), unit_id="u1")
    with pytest.raises(Forbidden):
        ensure_can_manage_officer(officer, **officer_target())  # type: ignore[arg-type]
