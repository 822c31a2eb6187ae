"""The policy as the API applies it: one 422 problem listing every broken rule (Art. 9.1), and where a
personal value starts to count (killers of mutants that survived `make mutation`, docs/testing.md)."""

import pytest

from hues_shared.problems import UnprocessableContent
from identity_service.passwords.policy import PasswordPolicy

POLICY = PasswordPolicy(min_length=9, max_length=128)


def test_check_accepts_a_good_password() -> None:
    POLICY.check("Trang-Tien#1899", personal_values=["Nguyễn Văn An"])


def test_check_lists_every_broken_rule_in_one_problem() -> None:
    with pytest.raises(UnprocessableContent) as refused:
        POLICY.check("short", personal_values=[])
    problem = refused.value
    assert problem.slug == "weak-password"
    errors = problem.extensions["errors"]
    assert len(errors) == len(POLICY.problems("short", personal_values=[])) >= 2
    assert {(e["in"], e["field"], e["code"]) for e in errors} == {("body", "password", "password_policy")}


def test_a_three_letter_part_of_a_personal_value_counts() -> None:
    assert POLICY.problems("Xyz-An#Tam-2026", personal_values=["Tam"]) != []
    assert POLICY.problems("Xyz-Q#Tam-2026", personal_values=["An"]) == []  # two letters are too common
