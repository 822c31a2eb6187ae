"""Who may call a `machine` route (connection standard v1.1, s. 5-6): an active application's client with
integration's token holding the route's scope, and a valid single-use RFC 9421 signature by its own key.

Every refusal is a problem whose `type` names the rule broken (https://hue-s.vn/problems/<rule>).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gateway.config import GatewaySettings
from gateway.partners.nonces import NonceStore
from gateway.partners.registry import PartnerRegistry
from gateway.partners.signatures import (
    SignatureRefused,
    read_signature_input,
    verify_content_digest,
    verify_signature,
)
from gateway.partners.usage import UsageMeter
from gateway.policies.machine import SignedRequest
from gateway.policies.tokens import CachingTokenVerifier, VerifiedToken
from gateway.routing.table import Route
from hues_shared.auth.jwks import TokenExpired, TokenInvalid, TokenVerifier
from hues_shared.auth.principal import Principal
from hues_shared.problems import Forbidden, ProblemError, Unauthorized


@dataclass(frozen=True)
class PartnerCall:
    """An admitted machine call: who, and the body check to run once the body is read."""

    principal: Principal
    client_id: str
    application_id: str
    headers: Mapping[str, str]

    def check_body(self, body: bytes | None, streamed: bool) -> None:
        """RFC 9530: the body must match the signed Content-Digest; a signed body is never streamed."""
        if streamed:
            raise ProblemError(
                "Signed request bodies must be small enough to be checked before forwarding.",
                status=413,
                slug="signed-body-too-large",
                title="Content too large",
            )
        verify_content_digest(self.headers, body or b"")


class PartnerPolicy:
    def __init__(
        self,
        *,
        settings: GatewaySettings,
        verifier: TokenVerifier | CachingTokenVerifier,
        registry: PartnerRegistry,
        nonces: NonceStore,
        usage: UsageMeter,
    ) -> None:
        self.settings = settings
        # An ES256 check costs more than the whole signature check: verified tokens are cached until exp.
        self.verifier = (
            verifier
            if isinstance(verifier, CachingTokenVerifier)
            else CachingTokenVerifier(
                verifier,
                max_entries=settings.verified_token_cache_size,
                max_age_seconds=settings.access_token_max_lifetime_seconds,
            )
        )
        self.registry = registry
        self.nonces = nonces
        self.usage = usage

    async def authorize(self, route: Route, *, token: str, request: SignedRequest) -> PartnerCall:
        verified = await self._verified(token)
        claims = verified.claims
        application_id = str(claims.get("app", ""))
        client_id = str(claims.get("client_id") or claims["sub"])
        status = self.registry.status(application_id)
        if status != "active":
            rule = {"suspended": "application-suspended", "retired": "application-retired"}.get(
                str(status), "application-not-active"
            )
            raise Forbidden(
                f"The application is {status or 'not active'} (connection standard, s. 5).", slug=rule
            )
        if claims.get("env") != "production" and self.settings.partner_environment == "production":
            raise Forbidden(
                "Sandbox credentials are not accepted here.", slug="sandbox-credential-on-production"
            )
        scopes = set(str(claims.get("scope", "")).split())
        if route.require_any_scope and not (scopes & route.require_any_scope):
            needed = ", ".join(sorted(route.require_any_scope))
            raise Forbidden(f"This route needs the scope {needed}.", slug="scope-not-granted")
        headers = request.headers
        signature_input = read_signature_input(headers)
        key = self.registry.key(signature_input.key_id)
        if key is None:
            raise SignatureRefused("unknown-keyid", f"No live signing key {signature_input.key_id!r}.")
        if key.client_id != client_id:
            raise SignatureRefused("keyid-not-of-client", "The signing key belongs to another client.")
        verify_signature(
            method=request.method,
            target_uri=request.target_uri,
            headers=headers,
            signature_input=signature_input,
            key=key,
            has_body=_has_body(headers),
            max_skew_seconds=self.settings.partner_signature_max_skew_seconds,
        )
        # Only a verified signature consumes its nonce (nobody can burn another client's nonces).
        nonce_key = f"{key.key_id}:{signature_input.nonce}"
        if not await self.nonces.first_use(nonce_key, ttl_seconds=self.settings.partner_nonce_ttl_seconds):
            raise SignatureRefused("nonce-replayed", "This nonce was already used: a replayed request.")
        self.usage.count(application_id, route.name)
        return PartnerCall(
            principal=verified.principal,
            client_id=client_id,
            application_id=application_id,
            headers=headers,
        )

    async def _verified(self, token: str) -> VerifiedToken:
        try:
            verified = await self.verifier.verify(token)
        except TokenExpired as exc:
            raise Unauthorized("The client token has expired; get a new one.", slug="token-expired") from exc
        except TokenInvalid as exc:
            raise Unauthorized(
                f"Machine routes need a partner client token from /v1/integration/oauth/token: {exc}",
                slug="invalid-client-token",
            ) from exc
        return verified


def _has_body(headers: Mapping[str, str]) -> bool:
    length = headers.get("content-length")
    return "transfer-encoding" in headers or (length is not None and length.strip() not in ("", "0"))
