"""Edges of the identifier rules (Art. 7.2, 8.2): the century range a CCCD encodes, the sex digit on the
later 12-digit CMND, e-mail case (killers of mutants that survived `make mutation`, docs/testing.md)."""

from datetime import date

import pytest

from identity_service.accounts.identifiers import (
    DocumentType,
    InvalidIdentifier,
    Sex,
    cccd_century_sex_digit,
    normalize_email,
    validate_document,
)


def test_the_2300s_are_the_last_century_a_cccd_encodes() -> None:
    assert cccd_century_sex_digit(birth_date=date(2399, 12, 31), sex=Sex.FEMALE) == 9
    assert cccd_century_sex_digit(birth_date=date(1900, 1, 1), sex=Sex.MALE) == 0
    for outside in (date(1899, 12, 31), date(2400, 1, 1)):
        with pytest.raises(InvalidIdentifier):
            cccd_century_sex_digit(birth_date=outside, sex=Sex.MALE)


def test_twelve_digit_cmnd_checks_the_sex_digit_too() -> None:
    woman_2003 = {"birth_date": date(2003, 1, 5), "sex": Sex.FEMALE}
    assert validate_document(DocumentType.CMND, "046303000123", **woman_2003) == "046303000123"
    with pytest.raises(InvalidIdentifier):
        validate_document(DocumentType.CMND, "046203000123", **woman_2003)


def test_email_is_stored_in_lower_case() -> None:
    assert normalize_email("  An.Nguyen@Example.VN ") == "an.nguyen@example.vn"
