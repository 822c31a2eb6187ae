"""Verify identity-service's access tokens against its JWKS, cached, refreshed on an unknown `kid`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx
from jose import jwt
from jose.exceptions import ExpiredSignatureError, JWTClaimsError, JWTError

logger = logging.getLogger(__name__)

# Asymmetric algorithms only: an HS* or `none` header is refused before any key is looked up.
ALLOWED_ALGORITHMS = ("ES256",)


class TokenInvalid(Exception):
    """The token cannot be trusted; the message is safe to show (it never echoes the token)."""


class TokenExpired(TokenInvalid):
    pass


class JwksCache:
    """Keys by `kid`; refreshed every `ttl` seconds, at once on an unknown kid (at most every
    `min_refresh_interval`), and kept when identity-service is briefly unreachable."""

    def __init__(
        self,
        url: str,
        *,
        ttl: float = 300.0,
        min_refresh_interval: float = 5.0,
        client: httpx.AsyncClient | None = None,
        static_keys: Mapping[str, Any] | None = None,
    ) -> None:
        self.url = url
        self.ttl = ttl
        self.min_refresh_interval = min_refresh_interval
        self._client = client
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = 0.0
        self._attempted_at = 0.0
        self._lock = asyncio.Lock()
        if static_keys is not None:
            self.load(static_keys)
            self._fetched_at = float("inf")

    def load(self, jwks: Mapping[str, Any]) -> None:
        keys = {k["kid"]: dict(k) for k in jwks.get("keys", []) if "kid" in k}
        self._keys = keys
        self._fetched_at = time.monotonic()

    async def _refresh(self, *, forced: bool) -> None:
        async with self._lock:
            now = time.monotonic()
            if forced and now - self._attempted_at < self.min_refresh_interval:
                return
            if not forced and now - self._fetched_at < self.ttl:
                return
            self._attempted_at = now
            client = self._client or httpx.AsyncClient(timeout=3.0)
            try:
                response = await client.get(self.url)
                response.raise_for_status()
                self.load(response.json())
            except Exception as exc:
                logger.warning("JWKS refresh failed; keeping cached keys", extra={"error": repr(exc)})
            finally:
                if self._client is None:
                    await client.aclose()

    async def key_for(self, kid: str) -> dict[str, Any] | None:
        if time.monotonic() - self._fetched_at >= self.ttl:
            await self._refresh(forced=False)
        if kid not in self._keys:
            await self._refresh(forced=True)
        return self._keys.get(kid)


class TokenVerifier:
    def __init__(self, jwks: JwksCache, *, issuer: str, audience: str, leeway: int = 30) -> None:
        self.jwks = jwks
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway

    async def verify(self, token: str) -> dict[str, Any]:
        """Return the claims of a valid access token, or raise TokenInvalid / TokenExpired."""
        try:
            header = jwt.get_unverified_header(token)
        except JWTError as exc:
            raise TokenInvalid("malformed token") from exc
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise TokenInvalid("token algorithm not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise TokenInvalid("token has no key id")
        key = await self.jwks.key_for(kid)
        if key is None:
            raise TokenInvalid("token signed with an unknown key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=list(ALLOWED_ALGORITHMS),
                audience=self.audience,
                issuer=self.issuer,
                options={
                    "leeway": self.leeway,
                    "require_exp": True,
                    "require_aud": True,  # an access token without `aud` is refused (issue 7, item 15)
                    "require_iss": True,
                    "require_sub": True,
                    "require_iat": True,
                },
            )
        except ExpiredSignatureError as exc:
            raise TokenExpired("token expired") from exc
        except JWTClaimsError as exc:
            raise TokenInvalid(f"token claims rejected: {exc}") from exc
        except JWTError as exc:
            raise TokenInvalid("token signature invalid") from exc
        if claims.get("typ") != "access":
            raise TokenInvalid("not an access token")
        return claims
