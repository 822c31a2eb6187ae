"""Each password rule of Art. 9.1 and 18, one at a time."""

import string

import pytest

from identity_service.config import IdentitySettings
from identity_service.passwords.hashing import PasswordHasher
from identity_service.passwords.policy import PasswordPolicy, common_passwords
from identity_service.passwords.service import temporary_password

POLICY = PasswordPolicy(min_length=9, max_length=128)
GOOD = "Trang-Tien#1899"


def broken(password: str, *personal: str) -> list[str]:
    return POLICY.problems(password, personal_values=list(personal))


def test_a_good_password_passes() -> None:
    assert broken(GOOD) == []


def test_must_be_longer_than_eight_characters() -> None:
    assert any("longer than 8" in p for p in broken("Ab1!efgh"))
    assert broken("Ab1!efghi") == []


def test_at_most_128_characters() -> None:
    assert any("at most 128" in p for p in broken("Ab1!" + "x" * 125))
    assert broken("Ab1!" + "x" * 124) == []


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("trang-tien#1899", "upper-case"),
        ("TRANG-TIEN#1899", "lower-case"),
        ("Trang-Tien#abc", "digit"),
        ("TrangTien1899", "special"),
    ],
)
def test_each_character_class_is_required(password: str, rule: str) -> None:
    assert any(rule in p for p in broken(password))


def test_common_passwords_are_refused_case_insensitively() -> None:
    assert "password@123" in common_passwords()
    assert any("common" in p for p in broken("PASSWORD@123"))
    assert any("common" in p for p in broken("Matkhau@123"))


def test_password_must_not_contain_the_document_number() -> None:
    assert any("must not contain" in p for p in broken("Xy!046085001234", "046085001234"))


def test_password_must_not_contain_the_phone() -> None:
    assert any("must not contain" in p for p in broken("Ab!0905123456", "0905123456"))


def test_password_must_not_contain_the_name_even_without_diacritics() -> None:
    assert any("must not contain" in p for p in broken("Nguyen#2026ab", "Nguyễn Văn An"))


def test_production_argon2_defaults_meet_owasp() -> None:
    settings = IdentitySettings(environment="test")
    assert settings.argon2_memory_kib >= 19 * 1024
    assert settings.argon2_time_cost >= 2
    assert settings.argon2_parallelism == 1
    assert settings.password_max_age_days == 90


def test_hashes_are_argon2id_and_verify() -> None:
    hasher = PasswordHasher(memory_kib=64, time_cost=1, parallelism=1)
    hashed = hasher.hash_now(GOOD)
    assert hashed.startswith("$argon2id$")
    assert hasher.verify_now(GOOD, hashed)
    assert not hasher.verify_now(GOOD + "x", hashed)
    assert not hasher.verify_now(GOOD, None)


def test_weaker_hashes_are_flagged_for_rehash() -> None:
    weak = PasswordHasher(memory_kib=64, time_cost=1, parallelism=1).hash_now(GOOD)
    assert PasswordHasher(memory_kib=128, time_cost=2, parallelism=1).needs_rehash(weak)


def test_generated_passwords_are_shell_safe_and_meet_the_policy() -> None:
    safe = set(string.ascii_letters + string.digits + "-_.:+=@%,")
    for _ in range(200):
        password = temporary_password()
        assert set(password) <= safe, password
        assert PasswordPolicy().problems(password, personal_values=[]) == []
