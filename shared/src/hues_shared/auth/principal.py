"""Who is calling: the principal built from verified claims, and the dependencies that demand one."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, Field

from hues_shared.auth.jwks import TokenExpired, TokenInvalid
from hues_shared.auth.revocations import TokenRevoked
from hues_shared.context import account_var
from hues_shared.problems import Forbidden, Unauthorized


class Role(StrEnum):
    """Roles of the security model (docs/architecture.md, "Security"; docs/security.md)."""

    CITIZEN = "citizen"
    ORGANIZATION = "organization"
    AGENCY_OFFICER = "agency_officer"
    AGENCY_ADMIN = "agency_admin"
    DIC_ADMIN = "dic_admin"
    IOC_OPERATOR = "ioc_operator"
    PARTNER_CLIENT = "partner_client"


STAFF_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_ADMIN, Role.DIC_ADMIN, Role.IOC_OPERATOR})


UNIT_SCOPE_SEPARATOR = "@"


def scoped_permission(code: str, unit_id: str | None) -> str:
    """How a grant travels in the token: bare when platform-wide, `code@unit` when unit-scoped."""
    return code if unit_id is None else f"{code}{UNIT_SCOPE_SEPARATOR}{unit_id}"


class Principal(BaseModel):
    """The authenticated caller as the token describes it."""

    account_id: str
    session_id: str | None = None
    kind: str = "citizen"
    roles: frozenset[str] = Field(default_factory=frozenset)
    permissions: frozenset[str] = Field(default_factory=frozenset)
    unit_id: str | None = None
    password_expired: bool = False

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        return cls(
            account_id=str(claims["sub"]),
            session_id=claims.get("sid"),
            kind=claims.get("kind", "citizen"),
            roles=frozenset(claims.get("roles", [])),
            permissions=frozenset(claims.get("permissions", [])),
            unit_id=claims.get("unit"),
            password_expired=bool(claims.get("pwd_expired", False)),
        )

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def units_for(self, code: str) -> frozenset[str] | None:
        """Where `code` was granted (Art. 13.1): None = everywhere (a bare grant), else the unit ids.

        The token carries a platform-wide grant as the bare code and a grant within one unit as
        `code@<unit id>` (see `scoped_permission`); an empty set means the permission is not held.
        """
        if code in self.permissions:
            return None
        prefix = f"{code}{UNIT_SCOPE_SEPARATOR}"
        return frozenset(p[len(prefix) :] for p in self.permissions if p.startswith(prefix))

    def holds(self, code: str, *, unit_id: str | None = None) -> bool:
        """The caller holds `code` everywhere, or within `unit_id` when one is given."""
        units = self.units_for(code)
        if units is None:
            return True
        return unit_id in units if unit_id is not None else False

    def holds_anywhere(self, code: str) -> bool:
        """The coarse check: `code` is held everywhere or within at least one unit."""
        units = self.units_for(code)
        return units is None or bool(units)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def optional_principal(request: Request) -> Principal | None:
    token = _bearer(request)
    if token is None:
        return None
    runtime = request.app.state.runtime
    try:
        claims = await runtime.token_verifier.verify(token)
        # Issue 7, item 10: a service reached around the gateway still refuses a revoked session.
        revocations = getattr(runtime, "revocations", None)
        if revocations is not None:
            revocations.check(claims)
    except TokenExpired as exc:
        raise Unauthorized("The access token has expired; refresh it.", slug="token-expired") from exc
    except TokenInvalid as exc:
        raise Unauthorized(f"The access token is not valid: {exc}", slug="invalid-token") from exc
    except TokenRevoked as exc:
        raise Unauthorized("The access token was revoked; log in again.", slug="token-revoked") from exc
    principal = Principal.from_claims(claims)
    account_var.set(principal.account_id)
    return principal


async def current_principal_allowing_expired_password(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    """Any valid token, even one whose password has expired (only the password-change route uses this)."""
    if principal is None:
        raise Unauthorized("This call needs a bearer access token.")
    return principal


# The public path of identity's password change, the way out of a password-expired refusal.
CHANGE_PASSWORD_PATH = "/v1/identity/me/password"


def password_expired(change_password_url: str) -> Forbidden:
    """Art. 9.1's refusal, naming the way out (issue 14 item 7): a link, in the body and a Link header."""
    return Forbidden(
        "Your password has expired or is a temporary one (changed at least every 90 days, Art. 9.1); "
        f"set a new one with POST {change_password_url}. GET /v1/identity/me stays readable meanwhile.",
        slug="password-expired",
        title="Password change required",
        change_password=change_password_url,
        headers={"Link": f'<{change_password_url}>; rel="change-password"'},
    )


async def current_principal(
    request: Request,
    principal: Annotated[Principal, Depends(current_principal_allowing_expired_password)],
) -> Principal:
    # Art. 9.1: after 90 days the password must be changed before anything else.
    if principal.password_expired:
        raise password_expired(request.app.state.runtime.settings.public_url(CHANGE_PASSWORD_PATH))
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_permission(code: str) -> Any:
    """Dependency: the caller holds function permission `code`, granted by the DIC (Art. 15.1)."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.holds_anywhere(code):
            raise Forbidden(f"This function needs the permission '{code}' (granted by the DIC, Art. 15.1).")
        return principal

    return Depends(check)


def ensure_permission_in_unit(principal: Principal, code: str, unit_id: str | None) -> None:
    """Object-level check (Art. 13.1): `code` must be held everywhere or within the target's unit.

    `require_permission` only proves the caller holds `code` somewhere; every route acting on an
    object of a unit calls this with the object's unit before touching it.
    """
    if not principal.holds(code, unit_id=unit_id):
        raise Forbidden(
            f"The permission '{code}' you hold does not cover this unit (Art. 13.1).",
            slug="outside-unit",
        )


def require_role(*roles: str) -> Any:
    """Dependency: the caller has one of `roles`."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden("Your role does not allow this call.")
        return principal

    return Depends(check)
