"""Access-token claims exactly as the shared verifier and the gateway expect them."""

from __future__ import annotations

import time
import uuid
from typing import Any

from identity_service.accounts.models import Account
from identity_service.config import IdentitySettings


def access_token_claims(
    settings: IdentitySettings,
    *,
    account: Account,
    session_id: str,
    roles: list[str],
    permissions: list[str],
    password_expired: bool,
) -> dict[str, Any]:
    """ES256 JWT claims; a token for an expired password carries no roles or permissions at all."""
    now = int(time.time())
    return {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": account.id,
        "sid": session_id,
        "jti": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + settings.access_token_seconds,
        "typ": "access",
        "kind": account.kind,
        "roles": [] if password_expired else sorted(roles),
        "permissions": [] if password_expired else sorted(permissions),
        "unit": account.unit_id,
        "pwd_expired": password_expired,
    }
