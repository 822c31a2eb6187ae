"""Machine routes for partner systems (reached through the gateway's `machine` policy only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from hues_shared.app import DbSession
from hues_shared.problems import Forbidden, Unauthorized
from integration_service.components import Components
from integration_service.consents import service as consents
from integration_service.consents.schemas import ConsentCheckOut
from integration_service.oauth.keys import verify_token

router = APIRouter(prefix="/v1/partner", tags=["partner machine routes"])


@router.get(
    "/connection-check",
    operation_id="connection_check_get",
    summary="Connection check for a signed partner call",
    responses={401: {"description": "No partner client token (problem+json)"}},
)
@router.post(
    "/connection-check",
    operation_id="connection_check_post",
    summary="Connection check for a signed partner call (with a body)",
    responses={401: {"description": "No partner client token (problem+json)"}},
)
async def connection_check(
    request: Request,
    session: DbSession,
    components: Components,
    authorization: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Echo who called and what arrived, so a partner proves its token, signature and Content-Digest work
    end to end (connection standard v1.1, s. 6). Scope `partner.connection.check`."""
    claims = await _claims(session, authorization, components)
    body = await request.body()
    return {
        "client_id": claims["client_id"],
        "application_id": claims["app"],
        "environment": claims["env"],
        "scopes": claims["scope"].split(),
        "method": request.method,
        "received_bytes": len(body),
        "content_digest": request.headers.get("content-digest"),
    }


@router.get(
    "/consents/{account_id}",
    summary="A citizen's consent to the calling application",
    responses={
        401: {"description": "No partner client token (problem+json)"},
        403: {"description": "consent-required, or the token lacks citizen.profile.read (problem+json)"},
    },
)
async def check_consent(
    account_id: str,
    session: DbSession,
    components: Components,
    authorization: Annotated[str | None, Header()] = None,
) -> ConsentCheckOut:
    """Before reading a citizen's personal data a partner (and the service serving it) checks the active
    consent for its application and scope `citizen.profile.read` (Law 91/2025)."""
    claims = await _claims(session, authorization, components)
    if "citizen.profile.read" not in claims["scope"].split():
        raise Forbidden("The token lacks the scope citizen.profile.read.", slug="scope-not-granted")
    return await consents.check_consent(
        session, account_id=account_id, application_id=claims["app"], scope="citizen.profile.read"
    )


async def _claims(session: DbSession, authorization: str | None, components: Components) -> dict[str, Any]:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("A partner client token is required.", slug="invalid-client-token")
    return await verify_token(session, token=token.strip(), components=components)
