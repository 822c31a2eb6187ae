"""Routes of client credentials and request-signing keys (the application's owner only, Art. 13.1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Response

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal
from integration_service.components import Components
from integration_service.credentials import service
from integration_service.credentials.schemas import (
    ClientCreateIn,
    ClientOut,
    IssuedKeyOut,
    IssuedSecretOut,
    KeyCreateIn,
)

router = APIRouter(tags=["credentials"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid access token (problem+json)"},
    403: {"description": "Not the application's owner (problem+json)"},
    404: {"description": "No such application or client, or another organization's (problem+json)"},
    409: {"description": "Environment not approved, or a client already exists (problem+json)"},
    422: {"description": "Invalid key (problem+json)"},
}


@router.post(
    "/v1/applications/{application_id}/clients",
    status_code=201,
    summary="Create a client",
    responses=PROBLEMS,
)
async def create_client(
    application_id: str, body: ClientCreateIn, session: DbSession, principal: CurrentPrincipal
) -> IssuedSecretOut:
    """The OAuth client of an environment the DIC approved (sandbox first, production after a second
    approval); the secret is shown once and stored hashed."""
    return await service.create_client(
        session, application_id=application_id, environment=body.environment, principal=principal
    )


@router.get("/v1/applications/{application_id}/clients", summary="Clients and keys", responses=PROBLEMS)
async def get_clients(
    application_id: str, session: DbSession, principal: CurrentPrincipal
) -> list[ClientOut]:
    """Clients with their secrets' and keys' validity (never the secrets)."""
    return await service.get_clients(session, application_id=application_id, principal=principal)


@router.post(
    "/v1/clients/{client_id}/secrets", status_code=201, summary="Rotate the secret", responses=PROBLEMS
)
async def rotate_secret(
    client_id: str, session: DbSession, principal: CurrentPrincipal, components: Components
) -> IssuedSecretOut:
    """A new secret (shown once); the previous ones keep working for the overlap window."""
    overlap = timedelta(seconds=components.settings.rotation_overlap_seconds)
    return await service.rotate_secret(session, client_id=client_id, principal=principal, overlap=overlap)


@router.delete(
    "/v1/clients/{client_id}/secrets/{secret_id}",
    status_code=204,
    summary="Revoke a secret",
    responses=PROBLEMS,
)
async def revoke_secret(
    client_id: str, secret_id: str, session: DbSession, principal: CurrentPrincipal
) -> Response:
    await service.revoke_secret(session, client_id=client_id, secret_id=secret_id, principal=principal)
    return Response(status_code=204)


@router.post("/v1/clients/{client_id}/keys", status_code=201, summary="Add a signing key", responses=PROBLEMS)
async def register_key(
    client_id: str, body: KeyCreateIn, session: DbSession, principal: CurrentPrincipal, components: Components
) -> IssuedKeyOut:
    """Register an ed25519 public key, or get an hmac-sha256 key (shown once) for RFC 9421 signatures;
    `replaces` rotates an old key out after the overlap window."""
    return await service.register_key(
        session, client_id=client_id, data=body, principal=principal, components=components
    )


@router.delete(
    "/v1/clients/{client_id}/keys/{key_id}", status_code=204, summary="Revoke a key", responses=PROBLEMS
)
async def revoke_key(
    client_id: str, key_id: str, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """The key stops verifying at once; the gateway refuses it within seconds."""
    await service.revoke_key(session, client_id=client_id, key_id=key_id, principal=principal)
    return Response(status_code=204)
