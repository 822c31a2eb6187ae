"""identity-service verifies tokens with its own key store (no HTTP to itself) and its own session table.

Other services verify through the JWKS; here a token of a revoked session stops working at once.
An extra verifier given to `create_app` (the tests' static test keys) is consulted for kids the store
does not know, so in-process tests can also use hand-made tokens.
"""

from __future__ import annotations

import time
from typing import Any

from jose import jwt
from jose.exceptions import JWTError

from hues_shared.auth.jwks import JwksCache, TokenInvalid, TokenVerifier
from hues_shared.db import Database
from identity_service.sessions import repository as sessions
from identity_service.signing_keys.store import KeyStore


class KeyStoreJwks(JwksCache):
    """A JwksCache answered by the key store; an unknown kid reloads the store (another replica rotated)."""

    def __init__(self, store: KeyStore, *, min_reload_seconds: float = 5.0) -> None:
        super().__init__("local:key-store", static_keys={"keys": []})
        self.store = store
        self.db: Database | None = None
        self.min_reload_seconds = min_reload_seconds
        self._reloaded_at = 0.0

    async def key_for(self, kid: str) -> dict[str, Any] | None:
        key = self.store.public_key(kid)
        stale = self.store.is_stale or time.monotonic() - self._reloaded_at > self.min_reload_seconds
        if (key is None or self.store.is_stale) and self.db is not None and stale:
            self._reloaded_at = time.monotonic()
            async with self.db.sessions() as session:
                await self.store.load(session)
            key = self.store.public_key(kid)
        return key


class IdentityTokenVerifier(TokenVerifier):
    def __init__(
        self,
        jwks: KeyStoreJwks,
        *,
        issuer: str,
        audience: str,
        leeway: int,
        fallback: TokenVerifier | None = None,
    ) -> None:
        super().__init__(jwks, issuer=issuer, audience=audience, leeway=leeway)
        self.local = jwks
        self.fallback = fallback

    async def verify(self, token: str) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except JWTError as exc:
            raise TokenInvalid("malformed token") from exc
        if self.fallback is not None and isinstance(kid, str) and await self.local.key_for(kid) is None:
            return await self.fallback.verify(token)
        claims = await super().verify(token)
        await self._ensure_session_open(claims)
        return claims

    async def _ensure_session_open(self, claims: dict[str, Any]) -> None:
        session_id = claims.get("sid")
        if self.local.db is None or not isinstance(session_id, str):
            return
        async with self.local.db.sessions() as session:
            login_session = await sessions.get(session, session_id=session_id)
        if login_session is None or login_session.revoked_at is not None:
            raise TokenInvalid("the session has ended")
