"""Routes of the partner token issuer: the client-credentials grant and its JWKS."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header

from hues_shared.app import DbSession
from hues_shared.problems import Unauthorized
from integration_service.components import Components
from integration_service.oauth import service
from integration_service.oauth.keys import jwks
from integration_service.oauth.schemas import TokenOut

router = APIRouter(prefix="/v1/oauth", tags=["partner tokens"])


def _basic(authorization: str | None) -> tuple[str | None, str | None]:
    """client_secret_basic (RFC 6749, section 2.3.1)."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None, None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthorized(
            "Malformed Basic credentials.", slug="invalid-client", error="invalid_client"
        ) from exc
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


@router.post(
    "/token",
    summary="Client-credentials token for a partner application",
    responses={
        400: {"description": "unsupported_grant_type, invalid_scope, unauthorized_client (problem+json)"},
        401: {"description": "invalid_client (problem+json)"},
    },
)
async def issue_token(
    session: DbSession,
    components: Components,
    grant_type: Annotated[str, Form()],
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> TokenOut:
    """OAuth 2.0 client credentials (RFC 6749, s. 4.4), client_secret_basic or _post: an ES256 token for
    `machine` routes of the gateway, with the application's granted scopes (connection standard, s. 5)."""
    basic_id, basic_secret = _basic(authorization)
    return await service.issue_token(
        session,
        grant_type=grant_type,
        client_id=basic_id or client_id,
        client_secret=basic_secret or client_secret,
        scope=scope,
        components=components,
    )


@router.get("/jwks.json", summary="Public keys of partner tokens")
async def get_jwks(session: DbSession, components: Components) -> dict[str, Any]:
    """The gateway verifies partner tokens with these keys (JWKS, RFC 7517)."""
    return await jwks(session, sealer=components.sealer)
