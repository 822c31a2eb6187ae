"""Vietnamese identifiers (Art. 7.2, 8.2): normalize, then validate per docs/standards.md."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from enum import StrEnum

_SEPARATORS = re.compile(r"[\s.\-()]")
_VN_PASSPORT = re.compile(r"^[A-Z][0-9]{7}$")
_FOREIGN_PASSPORT = re.compile(r"^[A-Z0-9]{6,9}$")
_MOBILE = re.compile(r"^0[35789][0-9]{8}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


class DocumentType(StrEnum):
    CCCD = "cccd"
    CMND = "cmnd"
    PASSPORT = "passport"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class InvalidIdentifier(ValueError):
    """The message says what is wrong in terms a citizen understands."""


def normalize(value: str) -> str:
    """Strip spaces, dots and dashes; upper-case (passports). One account per normalized value (Art. 7.1)."""
    return _SEPARATORS.sub("", value).upper()


def cccd_century_sex_digit(*, birth_date: date, sex: Sex) -> int:
    """Digit 4 of a CCCD: 0/1 for the 1900s (male/female), 2/3 for the 2000s, ... up to 8/9 for the 2300s."""
    century_index = birth_date.year // 100 - 19
    if not 0 <= century_index <= 4:
        raise InvalidIdentifier("The date of birth is outside the range a CCCD can encode.")
    return century_index * 2 + (1 if sex == Sex.FEMALE else 0)


def validate_cccd_layout(number: str, *, birth_date: date, sex: Sex) -> None:
    """A 12-digit card: province (1-3), century and sex (4), birth year (5-6), sequence (7-12)."""
    if not re.fullmatch(r"[0-9]{12}", number):
        raise InvalidIdentifier("A CCCD number has exactly 12 digits.")
    if number[:3] == "000":
        raise InvalidIdentifier("The first three digits of a CCCD are a province code; 000 is not one.")
    if int(number[3]) != cccd_century_sex_digit(birth_date=birth_date, sex=sex):
        raise InvalidIdentifier(
            "The 4th digit of the CCCD does not match the sex and century of birth given."
        )
    if number[4:6] != f"{birth_date.year % 100:02d}":
        raise InvalidIdentifier("Digits 5-6 of the CCCD do not match the year of birth given.")


def validate_document(
    document_type: DocumentType,
    number: str,
    *,
    birth_date: date,
    sex: Sex,
    issuing_country: str = "VN",
) -> str:
    """Return the normalized number, or raise InvalidIdentifier (Art. 7.2)."""
    normalized = normalize(number)
    if document_type == DocumentType.CCCD:
        validate_cccd_layout(normalized, birth_date=birth_date, sex=sex)
    elif document_type == DocumentType.CMND:
        # The old card has 9 digits; the later 12-digit CMND follows the CCCD layout.
        if re.fullmatch(r"[0-9]{9}", normalized):
            return normalized
        if len(normalized) == 12:
            validate_cccd_layout(normalized, birth_date=birth_date, sex=sex)
            return normalized
        raise InvalidIdentifier("A CMND number has 9 digits (or 12 for the later cards).")
    elif issuing_country.upper() == "VN":
        if not _VN_PASSPORT.fullmatch(normalized):
            raise InvalidIdentifier("A Vietnamese passport number is one letter followed by 7 digits.")
    elif not _FOREIGN_PASSPORT.fullmatch(normalized):
        raise InvalidIdentifier("A passport number has 6 to 9 letters and digits.")
    return normalized


def tax_code_check_digit(first_nine: str) -> int | None:
    """10 - (sum of digit*weight mod 11); None when no digit can be valid (remainder 0 gives 10)."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, TAX_CODE_WEIGHTS, strict=True)) % 11
    check = 10 - remainder
    return None if check == 10 else check


def validate_tax_code(code: str) -> str:
    """10 digits with the check digit, or 13 (`NNNNNNNNNN-NNN`) for a dependent unit (Art. 8.2)."""
    normalized = normalize(code)
    if not re.fullmatch(r"[0-9]{10}([0-9]{3})?", normalized):
        raise InvalidIdentifier("A tax code has 10 digits, or 13 as NNNNNNNNNN-NNN for a branch.")
    expected = tax_code_check_digit(normalized[:9])
    if expected is None or int(normalized[9]) != expected:
        raise InvalidIdentifier("The tax code's check digit (10th digit) is wrong.")
    if len(normalized) == 13 and normalized[10:] == "000":
        raise InvalidIdentifier("A branch suffix runs from 001 to 999.")
    return normalized


def normalize_phone(phone: str) -> str:
    """A Vietnamese mobile number as 0XXXXXXXXX (from +84..., 84... or 0...)."""
    digits = normalize(phone).removeprefix("+")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise InvalidIdentifier(
            "A Vietnamese mobile number has 10 digits starting with 03, 05, 07, 08 or 09."
        )
    return digits


def normalize_email(email: str) -> str:
    value = email.strip().lower()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise InvalidIdentifier("The e-mail address is not valid.")
    return value


def username_candidates(username: str) -> list[tuple[str, str]]:
    """Which (identifier kind, normalized value) a login name could be: document, phone or tax code."""
    raw = normalize(username)
    candidates: list[tuple[str, str]] = []
    if raw:
        candidates.append(("document", raw))
    with contextlib.suppress(InvalidIdentifier):
        candidates.append(("phone", normalize_phone(username)))
    if re.fullmatch(r"[0-9]{10}([0-9]{3})?", raw):
        candidates.append(("tax_code", raw))
    return candidates


def canonical_login_name(username: str) -> str:
    """One spelling per login name, for counting failures (a phone as 0XXXXXXXXX, else `normalize`)."""
    try:
        return normalize_phone(username)
    except InvalidIdentifier:
        return normalize(username)
