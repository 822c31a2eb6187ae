"""integration-service's ES256 key for client-credentials tokens: made at start-up, sealed at rest."""

from __future__ import annotations

import secrets
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jwk, jwt
from jose.exceptions import JWTError
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.app import ServiceRuntime
from hues_shared.problems import Unauthorized
from hues_shared.sealing import Sealer
from hues_shared.types import utcnow
from integration_service.components import EXTRAS_KEY, IntegrationComponents
from integration_service.credentials import repository
from integration_service.credentials.models import TokenSigningKey


async def ensure_token_key(session: AsyncSession, *, sealer: Sealer) -> None:
    """Generate the first key when there is none (rotation: add a key; old ones stay in the JWKS)."""
    if await repository.get_token_keys(session):
        return
    private = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    await repository.add(
        session,
        row=TokenSigningKey(
            kid=f"integration-{secrets.token_hex(6)}",
            private_key_sealed=sealer.seal(private),
            created_at=utcnow(),
        ),
    )


async def current_key(session: AsyncSession, *, sealer: Sealer) -> tuple[str, str]:
    """(kid, private PEM) of the newest key."""
    keys = await repository.get_token_keys(session)
    return keys[0].kid, sealer.unseal(keys[0].private_key_sealed).decode()


async def jwks(session: AsyncSession, *, sealer: Sealer) -> dict[str, Any]:
    published = []
    for key in await repository.get_token_keys(session):
        public = jwk.construct(sealer.unseal(key.private_key_sealed).decode(), algorithm="ES256").public_key()
        entry = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in public.to_dict().items()}
        entry.update({"kid": key.kid, "use": "sig", "alg": "ES256"})
        published.append(entry)
    return {"keys": published}


async def prepare_token_key(runtime: ServiceRuntime) -> None:
    """Startup hook."""
    async with runtime.db.unit_of_work() as session:
        await ensure_token_key(session, sealer=runtime.extras[EXTRAS_KEY].sealer)


async def verify_token(
    session: AsyncSession, *, token: str, components: IntegrationComponents
) -> dict[str, Any]:
    """Claims of a partner token this service issued (the gateway checked it already; checked again here)."""
    settings = components.settings
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        keys = {k.kid: k for k in await repository.get_token_keys(session)}
        if kid not in keys:
            raise JWTError("unknown key")
        private_pem = components.sealer.unseal(keys[kid].private_key_sealed).decode()
        public = jwk.construct(private_pem, algorithm="ES256").public_key().to_pem().decode()
        claims: dict[str, Any] = jwt.decode(
            token,
            public,
            algorithms=["ES256"],
            audience=settings.partner_audience,
            issuer=settings.partner_issuer,
        )
    except JWTError as exc:
        raise Unauthorized("A partner client token is required.", slug="invalid-client-token") from exc
    return claims
