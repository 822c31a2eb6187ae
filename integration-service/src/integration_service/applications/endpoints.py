"""Routes of integration applications: applicants draft and submit, the DIC reviews (Art. 15.2)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal, Principal, Role, require_permission, require_role
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, page_params
from hues_shared.permissions import INTEGRATION_REVIEW
from integration_service.applications import service
from integration_service.applications.lifecycle import Action, Status
from integration_service.applications.manifest import Manifest
from integration_service.applications.schemas import (
    ApplicationOut,
    ConformanceReportOut,
    DecisionIn,
    RetireIn,
    ReviewOut,
    WebhookSecretOut,
)
from integration_service.components import Components
from integration_service.db import tables

router = APIRouter(prefix="/v1/applications", tags=["applications"])
Reviewer = Annotated[Principal, require_permission(INTEGRATION_REVIEW)]
# Checked before the body is read, so other roles get 403 whatever they send.
Applicant = Annotated[Principal, require_role(Role.ORGANIZATION, Role.AGENCY_ADMIN)]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag you read; 412 when stale")]

PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid access token (problem+json)"},
    403: {"description": "The caller's role or permission does not allow this (problem+json)"},
    404: {"description": "No such application, or another organization's (Art. 13.1) (problem+json)"},
}
CHANGE_PROBLEMS: dict[int | str, dict[str, Any]] = {
    **PROBLEMS,
    409: {"description": "Not allowed from the application's current status (problem+json)"},
    412: {"description": "If-Match is stale (problem+json)"},
    422: {"description": "Invalid manifest or missing comment (problem+json)"},
}


def _etag(response: Response, application: ApplicationOut) -> ApplicationOut:
    response.headers["ETag"] = f'"{application.version}"'
    return application


@router.post(
    "", status_code=201, response_model=ApplicationOut, summary="Draft an application", responses=PROBLEMS
)
async def create_application(
    body: Manifest, request: Request, response: Response, session: DbSession, principal: Applicant
) -> ApplicationOut | JSONResponse:
    """An organization account or an agency administrator drafts an integration with its manifest
    (Art. 10, 11). Honours `Idempotency-Key`."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    application = await service.create_application(session, manifest=body, principal=principal)
    await idempotency.remember(201, application.model_dump(mode="json"))
    return _etag(response, application)


@router.get("", summary="List applications", responses=PROBLEMS)
async def get_applications(
    session: DbSession,
    principal: CurrentPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[Status | None, Query(description="Only this status")] = None,
) -> Page[ApplicationOut]:
    """The caller's own applications, newest first; DIC reviewers see all of them (Art. 13.1, 15.2)."""
    return await service.get_applications(
        session, principal=principal, status=status, cursor=page.cursor, limit=page.limit
    )


@router.get("/{application_id}", summary="One application", responses=PROBLEMS)
async def get_application(
    application_id: str, response: Response, session: DbSession, principal: CurrentPrincipal
) -> ApplicationOut:
    """With an `ETag` for If-Match on edits and decisions."""
    application = await service.get_application(session, application_id=application_id, principal=principal)
    return _etag(response, ApplicationOut.model_validate(application))


@router.put("/{application_id}/manifest", summary="Edit the manifest", responses=CHANGE_PROBLEMS)
async def update_manifest(
    application_id: str,
    body: Manifest,
    response: Response,
    session: DbSession,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    """The applicant edits while the application is a draft or changes were requested."""
    application = await service.update_manifest(
        session, application_id=application_id, manifest=body, principal=principal, if_match=if_match
    )
    return _etag(response, application)


@router.post("/{application_id}/submit", summary="Submit for DIC review", responses=CHANGE_PROBLEMS)
async def submit_application(
    application_id: str,
    response: Response,
    session: DbSession,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> ApplicationOut:
    """The automated conformance check runs right after (its report: `GET .../conformance`)."""
    application = await service.submit_application(
        session, application_id=application_id, principal=principal, if_match=if_match
    )
    return _etag(response, application)


@router.post(
    "/{application_id}/decisions", summary="Decide on an application (DIC)", responses=CHANGE_PROBLEMS
)
async def decide(
    application_id: str,
    body: DecisionIn,
    response: Response,
    session: DbSession,
    principal: Reviewer,
    if_match: IfMatch = None,
) -> ApplicationOut:
    """DIC reviewers approve (sandbox, then production in a second approval), request changes, reject,
    suspend or reinstate, with a comment the applicant reads (Art. 15.2)."""
    application = await service.decide(
        session,
        application_id=application_id,
        action=Action(body.decision),
        comment=body.comment,
        principal=principal,
        if_match=if_match,
    )
    return _etag(response, application)


@router.post("/{application_id}/retire", summary="Retire an application", responses=CHANGE_PROBLEMS)
async def retire_application(
    application_id: str, body: RetireIn, response: Response, session: DbSession, principal: CurrentPrincipal
) -> ApplicationOut:
    """The owner or a DIC reviewer retires the application for good; its credentials stop working."""
    application = await service.retire_application(
        session, application_id=application_id, comment=body.comment, principal=principal
    )
    return _etag(response, application)


@router.post(
    "/{application_id}/webhook-secret",
    status_code=201,
    summary="New webhook secret",
    responses=CHANGE_PROBLEMS,
)
async def create_webhook_secret(
    application_id: str, session: DbSession, principal: CurrentPrincipal, components: Components
) -> WebhookSecretOut:
    """A Standard Webhooks secret (`whsec_...`), shown once; it signs the conformance challenge and every
    delivery. Creating a new one replaces the old at once."""
    return await service.create_webhook_secret(
        session, application_id=application_id, principal=principal, sealer=components.sealer
    )


@router.get("/{application_id}/history", summary="Review history", responses=PROBLEMS)
async def get_history(
    application_id: str, session: DbSession, principal: CurrentPrincipal
) -> list[ReviewOut]:
    """Every transition with who made it and the reviewer's comment."""
    return await service.get_history(session, application_id=application_id, principal=principal)


@router.get("/{application_id}/conformance", summary="Latest conformance report", responses=PROBLEMS)
async def get_conformance_report(
    application_id: str, session: DbSession, principal: CurrentPrincipal
) -> ConformanceReportOut:
    """The automated check of the connection standard's rules, run after each submission."""
    return await service.get_conformance_report(session, application_id=application_id, principal=principal)
