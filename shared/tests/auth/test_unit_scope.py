"""Unit-scoped grants (Art. 13.1): a permission granted within one unit works only there."""

import pytest

from hues_shared.auth.principal import Principal, ensure_permission_in_unit, scoped_permission
from hues_shared.problems import Forbidden

PROCESS = "feedback.report.process"


def officer(*permissions: str) -> Principal:
    return Principal(account_id="a", roles=frozenset({"agency_officer"}), permissions=frozenset(permissions))


def test_scoped_permission_travels_as_code_at_unit() -> None:
    assert scoped_permission(PROCESS, "u1") == "feedback.report.process@u1"
    assert scoped_permission(PROCESS, None) == PROCESS


def test_grant_within_one_unit_does_not_reach_another_unit() -> None:
    principal = officer(scoped_permission(PROCESS, "u1"))
    assert principal.holds(PROCESS, unit_id="u1")
    assert not principal.holds(PROCESS, unit_id="u2")
    with pytest.raises(Forbidden):
        ensure_permission_in_unit(principal, PROCESS, "u2")


def test_scoped_grant_passes_the_coarse_check_but_not_an_unscoped_one() -> None:
    principal = officer(scoped_permission(PROCESS, "u1"))
    assert principal.holds_anywhere(PROCESS)
    assert not principal.holds(PROCESS)
    assert principal.units_for(PROCESS) == frozenset({"u1"})


def test_bare_grant_reaches_every_unit() -> None:
    principal = officer(PROCESS)
    assert principal.units_for(PROCESS) is None
    ensure_permission_in_unit(principal, PROCESS, "any-unit")


def test_a_code_that_only_shares_a_prefix_is_not_held() -> None:
    principal = officer("feedback.report.processor@u1", "feedback.report@u1")
    assert not principal.holds_anywhere(PROCESS)
