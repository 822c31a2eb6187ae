"""The OAuth 2.0 client-credentials grant for partner applications (RFC 6749, section 4.4).

Served here, not by identity-service: see docs/integration.md ("Where the grant is served").
"""

from __future__ import annotations

import hmac
import secrets
import time

from jose import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Role
from hues_shared.problems import BadRequest, Unauthorized
from hues_shared.types import utcnow
from integration_service.applications import repository as applications
from integration_service.applications.lifecycle import Status
from integration_service.components import IntegrationComponents
from integration_service.credentials import repository as credentials
from integration_service.credentials.service import hash_secret
from integration_service.oauth.keys import current_key
from integration_service.oauth.schemas import TokenOut


def _oauth_error(error: str, detail: str, *, status: int = 400) -> BadRequest:
    """RFC 9457 problem carrying RFC 6749's `error` code, so OAuth client libraries still understand it."""
    if status == 401:
        return Unauthorized(detail, slug=error.replace("_", "-"), error=error)
    return BadRequest(detail, slug=error.replace("_", "-"), error=error)


async def issue_token(
    session: AsyncSession,
    *,
    grant_type: str,
    client_id: str | None,
    client_secret: str | None,
    scope: str | None,
    components: IntegrationComponents,
) -> TokenOut:
    """An ES256 access token for an active application's client, carrying its granted scopes."""
    if grant_type != "client_credentials":
        raise _oauth_error("unsupported_grant_type", "Only grant_type=client_credentials is served here.")
    if not client_id or not client_secret:
        raise _oauth_error("invalid_client", "Client authentication failed.", status=401)
    client = await credentials.get_client(session, client_id=client_id)
    now = utcnow()
    live = await credentials.get_secrets(session, client_id=client_id, live_at=now) if client else []
    presented = hash_secret(client_secret)
    if client is None or not any(hmac.compare_digest(s.secret_hash, presented) for s in live):
        raise _oauth_error("invalid_client", "Client authentication failed.", status=401)
    application = await applications.get(session, application_id=client.application_id)
    if application is None or application.status != Status.ACTIVE:
        status = application.status if application else "unknown"
        raise _oauth_error("unauthorized_client", f"The application is {status}; no tokens are issued.")
    granted = set(application.manifest.get("requested_scopes", []))
    requested = set(scope.split()) if scope else granted
    if not requested <= granted:
        raise _oauth_error("invalid_scope", f"Not granted: {' '.join(sorted(requested - granted))}.")
    settings = components.settings
    kid, private_pem = await current_key(session, sealer=components.sealer)
    issued = int(time.time())
    claims = {
        "iss": settings.partner_issuer,
        "aud": settings.partner_audience,
        "sub": client.id,
        "client_id": client.id,
        "app": application.id,
        "env": client.environment,
        "scope": " ".join(sorted(requested)),
        "kind": Role.PARTNER_CLIENT.value,
        "roles": [Role.PARTNER_CLIENT.value],
        "typ": "access",
        "iat": issued,
        "nbf": issued,
        "exp": issued + settings.token_lifetime_seconds,
        "jti": secrets.token_hex(12),
    }
    token = jwt.encode(claims, private_pem, algorithm="ES256", headers={"kid": kid})
    return TokenOut(access_token=token, expires_in=settings.token_lifetime_seconds, scope=claims["scope"])
