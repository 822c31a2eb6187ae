"""The personas of the authorization matrix and the access tokens they carry (docs/testing.md).

The names are fixed (every app's matrix file uses them); what each holds follows the security model:
roles from hues_shared.auth.principal.Role, grants from hues_shared.permissions, a grant within one unit
travelling as `code@<unit id>` (Art. 13.1), platform-wide grants bare (the DIC's, Art. 15.1).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from hues_shared.auth.principal import Role, scoped_permission
from hues_shared.permissions import (
    ACCOUNTS_ADMINISTER,
    ALERT_PUBLISH,
    NOTICE_PUBLISH,
    OFFERING_MANAGE,
    REPORT_PROCESS,
    REPORT_TRIAGE,
    STAFF_MANAGE,
    catalogue,
)
from hues_shared.testing.tokens import SigningKeys

# Fixed ids of the two units; identity's matrix run creates units with exactly these ids.
UNIT_1 = "0000a001-0000-4000-8000-000000000001"
UNIT_2 = "0000a002-0000-4000-8000-000000000002"

ANONYMOUS = "anonymous"
EXPIRED_PASSWORD = "expired_password"
PERSONAS = (
    ANONYMOUS,
    EXPIRED_PASSWORD,
    "citizen",
    "organization",
    "officer",
    "officer_other_unit",
    "agency_admin",
    "ioc_operator",
    "dic_admin",
    "partner_client",
)
# `allow` shorthands: "*" = every persona, anonymous too; "authenticated" = any valid non-expired token.
EVERYONE = "*"
AUTHENTICATED = "authenticated"
AUTHENTICATED_PERSONAS = frozenset(PERSONAS) - {ANONYMOUS, EXPIRED_PASSWORD}


@dataclass(frozen=True)
class Persona:
    """Who the token says the caller is; `None` claims = no Authorization header at all."""

    name: str
    roles: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    unit: str | None = None
    kind: str = "citizen"
    extra: dict[str, object] = field(default_factory=dict)
    anonymous: bool = False

    def headers(self, keys: SigningKeys) -> dict[str, str]:
        if self.anonymous:
            return {}
        token = keys.token(
            roles=self.roles,
            permissions=self.permissions,
            unit=self.unit,
            kind=self.kind,
            expires_in=3600,  # one token per persona for the whole session
            **self.extra,
        )
        return {"Authorization": f"Bearer {token}"}


def _officer(name: str, unit: str) -> Persona:
    return Persona(
        name,
        roles=(Role.AGENCY_OFFICER,),
        permissions=tuple(
            scoped_permission(code, unit) for code in (REPORT_PROCESS, OFFERING_MANAGE, NOTICE_PUBLISH)
        ),
        unit=unit,
        kind="staff",
    )


def personas() -> dict[str, Persona]:
    """Every persona by name (the DIC admin holds every permission declared when this is called)."""
    every = [
        Persona(ANONYMOUS, anonymous=True),
        Persona(EXPIRED_PASSWORD, roles=(Role.CITIZEN,), extra={"pwd_expired": True}),
        Persona("citizen", roles=(Role.CITIZEN,)),
        Persona("organization", roles=(Role.ORGANIZATION,), kind="organization"),
        _officer("officer", UNIT_1),
        _officer("officer_other_unit", UNIT_2),
        Persona(
            "agency_admin",
            roles=(Role.AGENCY_ADMIN,),
            permissions=(
                scoped_permission(STAFF_MANAGE, UNIT_1),
                scoped_permission(ACCOUNTS_ADMINISTER, UNIT_1),
            ),
            unit=UNIT_1,
            kind="staff",
        ),
        Persona(
            "ioc_operator",
            roles=(Role.IOC_OPERATOR,),
            permissions=(REPORT_TRIAGE, ALERT_PUBLISH, NOTICE_PUBLISH),
            kind="staff",
        ),
        Persona(
            "dic_admin", roles=(Role.DIC_ADMIN,), permissions=tuple(p.code for p in catalogue()), kind="staff"
        ),
        Persona(
            "partner_client",
            roles=(Role.PARTNER_CLIENT,),
            kind="partner_client",
            extra={"client_id": "matrix-partner"},
        ),
    ]
    assert tuple(p.name for p in every) == PERSONAS
    return {p.name: p for p in every}


def expand(allow: list[str]) -> frozenset[str]:
    """The personas an `allow` list names, shorthands expanded."""
    names: set[str] = set()
    for entry in allow:
        if entry == EVERYONE:
            names |= set(PERSONAS)
        elif entry == AUTHENTICATED:
            names |= AUTHENTICATED_PERSONAS
        else:
            names.add(entry)
    return frozenset(names)


class FreshTokens(Mapping[str, dict[str, str]]):
    """Each persona's Authorization header, minted anew (new `sub`, `sid`, `iat`) on every lookup.

    A row may revoke its caller's tokens (log out everywhere, change the password, close the account);
    every service now refuses revoked sessions (docs/security.md), so one shared token per persona made
    every later row fail with 401.
    """

    def __init__(self, keys: SigningKeys) -> None:
        self.keys = keys
        self.personas = personas()

    def __getitem__(self, name: str) -> dict[str, str]:
        return self.personas[name].headers(self.keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self.personas)

    def __len__(self) -> int:
        return len(self.personas)
