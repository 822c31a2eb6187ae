"""The public keys (JWKS), the OpenID discovery document, and rotation on demand."""

from typing import Annotated, Any

from fastapi import APIRouter, Response

from hues_shared.app import DbSession
from hues_shared.auth.principal import Principal, ensure_permission_in_unit, require_permission
from hues_shared.permissions import SIGNING_KEYS_ROTATE
from identity_service.audit.service import record_audit
from identity_service.components import Components
from identity_service.signing_keys.store import ALGORITHM

router = APIRouter(tags=["tokens"])


@router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens")
async def get_jwks(response: Response, session: DbSession, components: Components) -> dict[str, Any]:
    """ES256 keys by `kid`; a retired key stays here until the last token it signed has expired."""
    if components.keys.is_stale:
        await components.keys.load(session)
    response.headers["Cache-Control"] = "public, max-age=60"
    return components.keys.jwks()


@router.get("/.well-known/openid-configuration", summary="OpenID discovery document")
async def get_openid_configuration(components: Components) -> dict[str, Any]:
    # Every endpoint at its public address through the gateway (PUBLIC_BASE_URL), never identity's own.
    public = components.settings.public_url
    return {
        "issuer": components.settings.jwt_issuer,
        "jwks_uri": public("/.well-known/jwks.json"),
        "token_endpoint": public("/v1/identity/auth/token"),
        "revocation_endpoint": public("/v1/identity/auth/revoke"),
        "userinfo_endpoint": public("/v1/identity/me"),
        "grant_types_supported": ["password", "refresh_token"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "token_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint_auth_methods_supported": ["none"],
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "sid",
            "kind",
            "roles",
            "permissions",
            "unit",
        ],
    }


@router.post("/v1/admin/signing-keys/rotate", summary="Rotate the token signing key now")
async def rotate_signing_key(
    session: DbSession,
    components: Components,
    principal: Annotated[Principal, require_permission(SIGNING_KEYS_ROTATE)],
) -> dict[str, Any]:
    """For a suspected compromise; routine rotation is scheduled. Old tokens stay valid until expiry.
    Platform-wide grants only: a grant within a unit does not reach the platform's keys (Art. 13.1)."""
    ensure_permission_in_unit(principal, SIGNING_KEYS_ROTATE, None)
    key = await components.keys.rotate(session)
    await record_audit(
        session, action="signing_key.rotated", actor_account_id=principal.account_id, kid=key.kid
    )
    return {"kid": key.kid, "jwks": components.keys.jwks()}
