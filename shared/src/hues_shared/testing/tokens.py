"""Signing keys and access tokens for tests, shaped exactly like identity-service's."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jwk, jwt

from hues_shared.auth.jwks import JwksCache, TokenVerifier

TEST_ISSUER = "http://127.0.0.1:8001"
TEST_AUDIENCE = "hue-s"


@dataclass
class SigningKeys:
    """An ES256 key pair with a kid; `token()` issues access tokens, `jwks()` publishes the public half."""

    kid: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:8]}")
    private_pem: bytes = field(default=b"")

    def __post_init__(self) -> None:
        if not self.private_pem:
            key = ec.generate_private_key(ec.SECP256R1())
            self.private_pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )

    def public_jwk(self) -> dict[str, Any]:
        key = jwk.construct(self.private_pem.decode(), algorithm="ES256")
        public = key.public_key().to_dict()
        public.update({"kid": self.kid, "use": "sig", "alg": "ES256"})
        return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in public.items()}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk()]}

    def token(
        self,
        *,
        sub: str | None = None,
        roles: Iterable[str] = ("citizen",),
        permissions: Iterable[str] = (),
        unit: str | None = None,
        kind: str = "citizen",
        expires_in: int = 300,
        issuer: str = TEST_ISSUER,
        audience: str = TEST_AUDIENCE,
        **extra: Any,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer,
            "aud": audience,
            "sub": sub or str(uuid.uuid4()),
            "sid": str(uuid.uuid4()),
            "iat": now,
            "nbf": now,
            "exp": now + expires_in,
            "typ": "access",
            "kind": kind,
            "roles": sorted(roles),
            "permissions": sorted(permissions),
            "unit": unit,
            **extra,
        }
        return str(
            jwt.encode(claims, self.private_pem.decode(), algorithm="ES256", headers={"kid": self.kid})
        )


def static_verifier(
    *keys: SigningKeys, issuer: str = TEST_ISSUER, audience: str = TEST_AUDIENCE
) -> TokenVerifier:
    jwks = {"keys": [k.public_jwk() for k in keys]}
    return TokenVerifier(
        JwksCache("http://unused.invalid/jwks", static_keys=jwks), issuer=issuer, audience=audience
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
