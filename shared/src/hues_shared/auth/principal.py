"""Who is calling: the principal built from verified claims, and the dependencies that demand one."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, Field

from hues_shared.auth.jwks import TokenExpired, TokenInvalid
from hues_shared.context import account_var
from hues_shared.problems import Forbidden, Unauthorized


class Role(StrEnum):
    """Roles of the security model (architecture brief, 4)."""

    CITIZEN = "citizen"
    ORGANIZATION = "organization"
    AGENCY_OFFICER = "agency_officer"
    AGENCY_ADMIN = "agency_admin"
    DIC_ADMIN = "dic_admin"
    IOC_OPERATOR = "ioc_operator"
    PARTNER_CLIENT = "partner_client"


STAFF_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_ADMIN, Role.DIC_ADMIN, Role.IOC_OPERATOR})


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
    verifier = request.app.state.runtime.token_verifier
    try:
        claims = await verifier.verify(token)
    except TokenExpired as exc:
        raise Unauthorized("The access token has expired; refresh it.", slug="token-expired") from exc
    except TokenInvalid as exc:
        raise Unauthorized(f"The access token is not valid: {exc}", slug="invalid-token") from exc
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


async def current_principal(
    principal: Annotated[Principal, Depends(current_principal_allowing_expired_password)],
) -> Principal:
    # Art. 9.1: after 90 days the password must be changed before anything else.
    if principal.password_expired:
        raise Forbidden(
            "Your password has expired (changed at least every 90 days, Art. 9.1); change it first.",
            slug="password-expired",
            title="Password change required",
        )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_permission(code: str) -> Any:
    """Dependency: the caller holds function permission `code`, granted by the DIC (Art. 15.1)."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if code not in principal.permissions:
            raise Forbidden(f"This function needs the permission '{code}' (granted by the DIC, Art. 15.1).")
        return principal

    return Depends(check)


def require_role(*roles: str) -> Any:
    """Dependency: the caller has one of `roles`."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden("Your role does not allow this call.")
        return principal

    return Depends(check)
