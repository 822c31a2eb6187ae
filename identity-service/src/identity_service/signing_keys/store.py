"""ES256 signing keys: generated on first start, private halves encrypted at rest, rotated on schedule.

A retired key stays in the JWKS until every token it signed has expired (`publish_until`), so a
rotation never invalidates a live token. Every replica reloads the keys from the database now and
then, so a rotation made by one replica reaches the others within `reload_seconds`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jose import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.types import utcnow
from identity_service.signing_keys import repository
from identity_service.signing_keys.models import SigningKey

ALGORITHM = "ES256"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def public_jwk_of(private_key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    """The public half as a JWK with an RFC 7638 thumbprint as its `kid`."""
    numbers = private_key.public_key().public_numbers()
    jwk = {
        "crv": "P-256",
        "kty": "EC",
        "x": _b64(numbers.x.to_bytes(32, "big")),
        "y": _b64(numbers.y.to_bytes(32, "big")),
    }
    thumbprint = _b64(
        hashlib.sha256(json.dumps(jwk, sort_keys=True, separators=(",", ":")).encode()).digest()
    )
    return {**jwk, "kid": thumbprint, "use": "sig", "alg": ALGORITHM}


@dataclass(frozen=True)
class ActiveKey:
    kid: str
    private_pem: str


class KeyStore:
    """Holds the active private key and the published public keys, loaded from identity's database."""

    def __init__(
        self,
        *,
        encryption_key: bytes,
        token_lifetime: timedelta,
        rotation_age: timedelta,
        reload_seconds: float = 60,
    ) -> None:
        self._aead = AESGCM(encryption_key)
        self.token_lifetime = token_lifetime
        self.rotation_age = rotation_age
        self.reload_seconds = reload_seconds
        self._active: ActiveKey | None = None
        self._active_created_at: datetime | None = None
        self._published: dict[str, dict[str, Any]] = {}
        self._loaded_at = 0.0

    def _seal(self, pem: bytes, kid: str) -> str:
        nonce = os.urandom(12)
        return _b64(nonce + self._aead.encrypt(nonce, pem, kid.encode()))

    def _open(self, sealed: str, kid: str) -> str:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        return self._aead.decrypt(raw[:12], raw[12:], kid.encode()).decode()

    async def create_key(self, session: AsyncSession) -> SigningKey:
        private_key = ec.generate_private_key(ec.SECP256R1())
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        public = public_jwk_of(private_key)
        key = SigningKey(
            kid=public["kid"],
            algorithm=ALGORITHM,
            public_jwk=public,
            private_key_enc=self._seal(pem, public["kid"]),
        )
        return await repository.create(session, key=key)

    async def ensure_key(self, session: AsyncSession) -> None:
        """Generate the first key on first start; rotate when the active one is older than `rotation_age`."""
        active = await repository.get_active(session)
        if active is None:
            await self.create_key(session)
        elif utcnow() - active.created_at >= self.rotation_age:
            await self.rotate(session)
        await self.load(session)

    async def rotate(self, session: AsyncSession) -> SigningKey:
        """A new key signs from now on; the old ones stay published until their tokens expire."""
        now = utcnow()
        for old in await repository.get_all_active(session):
            old.retired_at = now
            old.publish_until = now + self.token_lifetime + timedelta(minutes=5)
        key = await self.create_key(session)
        await self.load(session)
        return key

    async def load(self, session: AsyncSession) -> None:
        keys = await repository.get_all_published(session, now=utcnow())
        self._published = {k.kid: dict(k.public_jwk) for k in keys}
        signing = [k for k in keys if k.retired_at is None]
        if signing:
            newest = max(signing, key=lambda k: k.created_at)
            self._active = ActiveKey(newest.kid, self._open(newest.private_key_enc, newest.kid))
            self._active_created_at = newest.created_at
        self._loaded_at = time.monotonic()

    @property
    def is_stale(self) -> bool:
        return time.monotonic() - self._loaded_at > self.reload_seconds

    def jwks(self) -> dict[str, Any]:
        return {"keys": list(self._published.values())}

    def public_key(self, kid: str) -> dict[str, Any] | None:
        return self._published.get(kid)

    def sign(self, claims: dict[str, Any]) -> str:
        if self._active is None:
            raise RuntimeError("no signing key loaded; the startup hook creates one")
        return str(
            jwt.encode(
                claims, self._active.private_pem, algorithm=ALGORITHM, headers={"kid": self._active.kid}
            )
        )
