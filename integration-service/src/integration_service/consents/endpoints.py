"""Routes of citizens' consents (Law 91/2025) and integration's part of the personal-data export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal, Principal, Role, require_role
from hues_shared.idempotency import idempotency_for
from integration_service.consents import service
from integration_service.consents.schemas import ConsentExportOut, ConsentIn, ConsentOut, ConsentRequestOut
from integration_service.db import tables

router = APIRouter(tags=["consents"])
Citizen = Annotated[Principal, require_role(Role.CITIZEN)]
PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid access token (problem+json)"},
    403: {"description": "Not a citizen (problem+json)"},
    404: {"description": "No such active application or consent (problem+json)"},
    409: {"description": "An active consent exists already (problem+json)"},
    422: {"description": "A scope the application did not ask for (problem+json)"},
}


@router.get(
    "/v1/applications/{application_id}/consent-request",
    summary="What an application asks",
    responses=PROBLEMS,
)
async def get_consent_request(
    application_id: str, session: DbSession, _: CurrentPrincipal
) -> ConsentRequestOut:
    """The consent screen: the application, the personal data it asks for and each purpose."""
    return await service.get_consent_request(session, application_id=application_id)


@router.post(
    "/v1/me/consents", status_code=201, response_model=ConsentOut, summary="Give consent", responses=PROBLEMS
)
async def grant_consent(
    body: ConsentIn, request: Request, session: DbSession, principal: Citizen
) -> ConsentOut | JSONResponse:
    """A citizen lets an application use the named personal-data scopes for its stated purpose
    (Law 91/2025); publishes ConsentGranted. Honours `Idempotency-Key`."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    consent = await service.grant_consent(session, data=body, principal=principal)
    await idempotency.remember(201, consent.model_dump(mode="json"))
    return consent


@router.get("/v1/me/consents", summary="My consents", responses=PROBLEMS)
async def get_consents(session: DbSession, principal: Citizen) -> list[ConsentOut]:
    """Active and revoked, newest first."""
    return await service.get_consents(session, principal=principal)


@router.delete("/v1/me/consents/{consent_id}", summary="Revoke a consent", responses=PROBLEMS)
async def revoke_consent(consent_id: str, session: DbSession, principal: Citizen) -> ConsentOut:
    """Ends the application's access now; publishes ConsentRevoked (the application hears it by webhook)."""
    return await service.revoke_consent(session, consent_id=consent_id, principal=principal)


@router.get("/v1/me/export", summary="What integration holds about me", responses=PROBLEMS)
async def export_me(session: DbSession, principal: CurrentPrincipal) -> ConsentExportOut:
    """Integration's part of the personal-data export (Law 91/2025): every consent and revocation."""
    return await service.export_consents(session, principal=principal)
