"""Identifier rules of docs/standards.md (Art. 7.2, 8.2): every type, valid and invalid."""

from datetime import date

import pytest

from identity_service.accounts.identifiers import (
    DocumentType,
    InvalidIdentifier,
    Sex,
    normalize,
    normalize_phone,
    tax_code_check_digit,
    username_candidates,
    validate_document,
    validate_tax_code,
)

MALE_1985 = {"birth_date": date(1985, 4, 12), "sex": Sex.MALE}
FEMALE_2003 = {"birth_date": date(2003, 1, 5), "sex": Sex.FEMALE}


@pytest.mark.parametrize(
    ("number", "person"),
    [
        ("046085001234", MALE_1985),
        ("046303000123", FEMALE_2003),
        ("001185999999", {"birth_date": date(1985, 1, 1), "sex": Sex.FEMALE}),
    ],
)
def test_valid_cccd_matches_birth_year_century_and_sex(number: str, person: dict) -> None:
    assert validate_document(DocumentType.CCCD, number, **person) == number


def test_cccd_is_normalized_before_checking() -> None:
    assert validate_document(DocumentType.CCCD, " 046 085.001-234 ", **MALE_1985) == "046085001234"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("04608500123", "12 digits"),
        ("0460850012345", "12 digits"),
        ("04608500123A", "12 digits"),
        ("000085001234", "province"),
        ("046185001234", "4th digit"),  # female digit for a man
        ("046285001234", "4th digit"),  # 2000s digit for someone born in 1985
        ("046086001234", "year"),  # born 1986 according to the card
    ],
)
def test_invalid_cccd_is_refused(number: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        validate_document(DocumentType.CCCD, number, **MALE_1985)


def test_cmnd_has_nine_digits_or_the_twelve_digit_cccd_layout() -> None:
    assert validate_document(DocumentType.CMND, "191 234 567", **MALE_1985) == "191234567"
    assert validate_document(DocumentType.CMND, "046085001234", **MALE_1985) == "046085001234"
    for bad in ("19123456", "1912345678", "046185001234"):
        with pytest.raises(InvalidIdentifier):
            validate_document(DocumentType.CMND, bad, **MALE_1985)


def test_vietnamese_passport_is_one_letter_and_seven_digits() -> None:
    assert validate_document(DocumentType.PASSPORT, "c1234567", **MALE_1985) == "C1234567"
    for bad in ("12345678", "CC123456", "C123456", "C12345678"):
        with pytest.raises(InvalidIdentifier):
            validate_document(DocumentType.PASSPORT, bad, **MALE_1985)


def test_foreign_passport_has_six_to_nine_letters_and_digits() -> None:
    assert validate_document(DocumentType.PASSPORT, "x12ab34", issuing_country="FR", **MALE_1985) == "X12AB34"
    for bad in ("AB123", "AB12345678", "AB12_345"):
        with pytest.raises(InvalidIdentifier):
            validate_document(DocumentType.PASSPORT, bad, issuing_country="FR", **MALE_1985)


def test_tax_code_check_digit_follows_the_weights() -> None:
    assert tax_code_check_digit("010010910") == 6
    assert validate_tax_code("0100109106") == "0100109106"


def test_tax_code_branch_form_has_thirteen_digits() -> None:
    assert validate_tax_code("0100109106-001") == "0100109106001"
    assert validate_tax_code("0100109106001") == "0100109106001"


@pytest.mark.parametrize(
    "code", ["0100109107", "010010910", "01001091060", "0100109106-000", "0100109106-01", "ABCDEFGHIJ"]
)
def test_invalid_tax_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidIdentifier):
        validate_tax_code(code)


def test_a_remainder_of_zero_has_no_valid_check_digit() -> None:
    first_nine = "100000008"  # 1*31 + 8*3 = 55, a multiple of 11: the check digit would be 10
    assert tax_code_check_digit(first_nine) is None
    for last in "0123456789":
        with pytest.raises(InvalidIdentifier):
            validate_tax_code(first_nine + last)


def test_phone_numbers_normalize_to_the_national_form() -> None:
    assert normalize_phone("+84 905 123 456") == "0905123456"
    assert normalize_phone("84905123456") == "0905123456"
    assert normalize_phone("0905.123.456") == "0905123456"
    for bad in ("0205123456", "090512345", "+1 415 555 0100"):
        with pytest.raises(InvalidIdentifier):
            normalize_phone(bad)


def test_login_name_candidates_cover_document_phone_and_tax_code() -> None:
    kinds = {kind for kind, _ in username_candidates("0905123456")}
    assert kinds == {"document", "phone", "tax_code"}
    assert normalize("c-123.4567") == "C1234567"
