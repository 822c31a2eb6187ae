"""The password rules of Art. 9.1 (length, classes) plus ASVS (max length, identifiers, common passwords)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from hues_shared.problems import UnprocessableContent


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    text = files("identity_service.passwords").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#")


def fold(text: str) -> str:
    """Lower-case without Vietnamese diacritics, so 'Nguyễn' and 'nguyen' count as the same."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 9
    max_length: int = 128

    def problems(self, password: str, *, personal_values: list[str]) -> list[str]:
        """Every rule the password breaks, in words (empty when it is acceptable)."""
        found: list[str] = []
        if len(password) < self.min_length:
            found.append(f"It must be longer than {self.min_length - 1} characters (Art. 9.1).")
        if len(password) > self.max_length:
            found.append(f"It must be at most {self.max_length} characters.")
        if not any(c.isupper() for c in password):
            found.append("It needs an upper-case letter (Art. 9.1).")
        if not any(c.islower() for c in password):
            found.append("It needs a lower-case letter (Art. 9.1).")
        if not any(c.isdigit() for c in password):
            found.append("It needs a digit (Art. 9.1).")
        if all(c.isalnum() for c in password):
            found.append("It needs a special character (Art. 9.1).")
        folded = fold(password)
        if folded in common_passwords():
            found.append("It is one of the most common passwords.")
        for value in personal_values:
            for part in {fold(value).replace(" ", ""), *fold(value).split()}:
                if len(part) >= 3 and part in folded:
                    found.append(
                        "It must not contain your login name, document number, phone or name (Art. 18)."
                    )
                    return found
        return found

    def check(self, password: str, *, personal_values: list[str]) -> None:
        """Raise a 422 problem listing every broken rule."""
        broken = self.problems(password, personal_values=personal_values)
        if broken:
            raise UnprocessableContent(
                "The password does not meet the password policy.",
                slug="weak-password",
                errors=[
                    {"in": "body", "field": "password", "message": m, "code": "password_policy"}
                    for m in broken
                ],
            )
