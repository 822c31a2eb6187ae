"""Apply a route's access policy to a request: who is calling, and may they call this route at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gateway.policies.machine import MachineClientPolicy, SignedRequest
from gateway.policies.tokens import CachingTokenVerifier
from gateway.routing.table import Access, Route
from hues_shared.auth.jwks import TokenExpired, TokenInvalid
from hues_shared.auth.principal import CHANGE_PASSWORD_PATH, Principal, password_expired
from hues_shared.auth.revocations import RevocationListener, TokenRevoked
from hues_shared.problems import Forbidden, Unauthorized

if TYPE_CHECKING:
    from gateway.partners.policy import PartnerPolicy


@dataclass(frozen=True)
class Caller:
    """The authenticated side of a request as the gateway knows it (both None on a public call)."""

    principal: Principal | None = None
    client_id: str | None = None
    # Machine calls: checks the body against the signed Content-Digest once it is read (body, streamed).
    check_body: Callable[[bytes | None, bool], None] | None = None

    @property
    def account_id(self) -> str | None:
        return self.principal.account_id if self.principal is not None else None


ANONYMOUS = Caller()


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class AccessPolicy:
    def __init__(
        self,
        *,
        verifier: CachingTokenVerifier,
        revocations: RevocationListener,
        machine: MachineClientPolicy,
        partners: PartnerPolicy | None = None,
        change_password_url: str = CHANGE_PASSWORD_PATH,
    ) -> None:
        self.change_password_url = change_password_url
        self.verifier = verifier
        self.revocations = revocations
        self.machine = machine
        self.partners = partners

    async def authorize(
        self, route: Route, *, authorization: str | None, signed_request: Callable[[], SignedRequest]
    ) -> Caller:
        """Return the caller, or raise Unauthorized (401) / Forbidden (403) as problem+json."""
        if route.access is Access.PUBLIC:
            return ANONYMOUS
        token = bearer_token(authorization)
        if token is None:
            if route.access is Access.OPTIONAL:
                return ANONYMOUS
            raise Unauthorized("This call needs a bearer access token.")
        if route.access is Access.MACHINE and self.partners is not None:
            # Partner tokens come from integration-service's issuer, not identity's (gateway/partners/).
            call = await self.partners.authorize(route, token=token, request=signed_request())
            return Caller(principal=call.principal, client_id=call.client_id, check_body=call.check_body)
        try:
            verified = await self.verifier.verify(token)
        except TokenExpired as exc:
            raise Unauthorized("The access token has expired; refresh it.", slug="token-expired") from exc
        except TokenInvalid as exc:
            raise Unauthorized(f"The access token is not valid: {exc}", slug="invalid-token") from exc
        claims, principal = verified.claims, verified.principal
        try:
            self.revocations.check(claims)  # never cached: consulted on every request
        except TokenRevoked as exc:
            raise Unauthorized("The access token was revoked; log in again.", slug="token-revoked") from exc
        # Art. 9.1: after 90 days the password must be changed before anything else. Routes open to
        # anonymous callers stay open: a token with an expired password reads what no token reads.
        if (
            principal.password_expired
            and not route.allow_expired_password
            and route.access is not Access.OPTIONAL
        ):
            raise password_expired(self.change_password_url)
        client_id = None
        if route.access is Access.MACHINE:
            client_id = await self.machine.client_id(principal, signed_request(), claims=claims)
        if route.require_any_role and not principal.has_role(*route.require_any_role):
            raise Forbidden("Your role does not allow this call.")
        # The coarse check: held platform-wide or within some unit (`code@unit`); the service then checks
        # the target's unit (Art. 13.1, hues_shared.auth.principal.ensure_permission_in_unit).
        if route.require_any_permission and not any(
            principal.holds_anywhere(code) for code in route.require_any_permission
        ):
            needed = ", ".join(sorted(route.require_any_permission))
            raise Forbidden(f"This function needs the permission '{needed}' (granted by the DIC, Art. 15.1).")
        return Caller(principal=principal, client_id=client_id)
