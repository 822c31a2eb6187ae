"""Token verification with a cache of already-verified tokens: an ES256 check costs more than the proxying."""

from __future__ import annotations

import time
from typing import Any

from hues_shared.auth.jwks import TokenExpired, TokenVerifier
from hues_shared.auth.principal import Principal


class VerifiedToken:
    """Claims plus the Principal built from them once (a pydantic model costs more than the cache lookup)."""

    __slots__ = ("claims", "expires_at", "principal", "trusted_until")

    def __init__(self, claims: dict[str, Any], *, trusted_until: float) -> None:
        self.claims = claims
        self.principal = Principal.from_claims(claims)
        self.expires_at = float(claims["exp"])
        self.trusted_until = trusted_until


class CachingTokenVerifier:
    """Verify once with the shared TokenVerifier (JWKS, alg, iss, aud, exp), then trust the result until exp,
    but never longer than the longest access-token lifetime (issue 7, item 15): a token whose `exp` lies
    far ahead (mis-issued, or signed with a key withdrawn since) is verified again against today's keys.

    Only valid tokens are cached (a flood of garbage cannot evict good entries for free), and expiry is
    re-checked on every hit. Revocation is not cached here: the denylist is consulted on every request.
    """

    def __init__(self, verifier: TokenVerifier, *, max_entries: int, max_age_seconds: float) -> None:
        self.verifier = verifier
        self.max_entries = max_entries
        self.max_age_seconds = max_age_seconds
        self.leeway = verifier.leeway
        self._cache: dict[str, VerifiedToken] = {}

    async def verify(self, token: str) -> VerifiedToken:
        """A valid access token's claims and principal, or TokenInvalid / TokenExpired."""
        hit = self._cache.get(token)
        now = time.time()
        if hit is not None:
            if now <= hit.trusted_until:
                return hit
            del self._cache[token]
            if now > hit.expires_at + self.leeway:
                raise TokenExpired("token expired")
        claims = await self.verifier.verify(token)
        verified = VerifiedToken(
            claims, trusted_until=min(float(claims["exp"]) + self.leeway, now + self.max_age_seconds)
        )
        if self.max_entries:
            if len(self._cache) >= self.max_entries:
                self._evict()
            self._cache[token] = verified
        return verified

    def _evict(self) -> None:
        """Drop expired entries, or the oldest tenth when all are live (dicts keep insertion order)."""
        now = time.time()
        expired = [token for token, hit in self._cache.items() if hit.trusted_until < now]
        victims = expired or list(self._cache)[: max(1, self.max_entries // 10)]
        for token in victims:
            self._cache.pop(token, None)
