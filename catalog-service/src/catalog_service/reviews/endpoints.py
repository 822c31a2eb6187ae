"""Routes of ratings and reviews (Art. 12.2)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from catalog_service.access import Moderator, OptionalPrincipal, ProviderStaff
from catalog_service.db import tables
from catalog_service.reviews import service
from catalog_service.reviews.schemas import (
    AbuseReportIn,
    AbuseReportOut,
    ModerationIn,
    ReplyIn,
    ReviewIn,
    ReviewOut,
)
from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal, Principal, Role, require_role
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1", tags=["reviews"])
Citizen = Annotated[Principal, require_role(Role.CITIZEN)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such review or offering"}}


@router.get("/offerings/{offering_id}/reviews", summary="Reviews of an offering", responses=NOT_FOUND)
async def get_reviews(
    offering_id: str,
    session: DbSession,
    principal: OptionalPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[ReviewOut]:
    """Visible reviews, newest first; `mine` marks the caller's own."""
    return await service.get_reviews(
        session, offering_id=offering_id, principal=principal, cursor=page.cursor, limit=page.limit
    )


@router.put(
    "/offerings/{offering_id}/reviews/mine",
    response_model=ReviewOut,
    summary="Rate and review an offering (citizens)",
    responses={
        **NOT_FOUND,
        201: {"model": ReviewOut, "description": "Created"},
        403: {"description": "Citizens only"},
    },
)
async def put_my_review(
    offering_id: str, body: ReviewIn, session: DbSession, principal: Citizen, response: Response
) -> ReviewOut:
    """Verified citizens rate 1-5 with an optional text, one review per offering, editable (Art. 12.2).
    201 when created, 200 when edited; publishes ReviewPosted."""
    review, created = await service.put_my_review(
        session, offering_id=offering_id, data=body, principal=principal
    )
    response.status_code = 201 if created else 200
    return review


@router.put(
    "/reviews/{review_id}/reply",
    summary="Reply to a review (the provider's staff)",
    responses={**NOT_FOUND, 403: {"description": "Not this provider's staff"}},
)
async def reply_to_review(
    review_id: str, body: ReplyIn, session: DbSession, principal: ProviderStaff
) -> ReviewOut:
    """Only the reviewed offering's provider staff (Art. 13.1); a new reply replaces the previous one."""
    return await service.reply_to_review(session, review_id=review_id, text=body.text, principal=principal)


@router.post(
    "/reviews/{review_id}/reports",
    status_code=201,
    response_model=AbuseReportOut,
    summary="Report a review as abusive",
    responses={**NOT_FOUND, 409: {"description": "Already reported by you"}},
)
async def report_review(
    review_id: str, body: AbuseReportIn, request: Request, session: DbSession, principal: CurrentPrincipal
) -> AbuseReportOut | JSONResponse:
    """Goes to the IOC's moderation queue. Honours `Idempotency-Key`."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    report = await service.report_review(
        session, review_id=review_id, reason=body.reason, principal=principal
    )
    await idempotency.remember(201, report.model_dump(mode="json"))
    return report


@router.get(
    "/review-reports",
    summary="Open abuse reports (IOC)",
    responses={403: {"description": "Needs catalog.content.moderate"}},
)
async def get_open_reports(
    session: DbSession, _: Moderator, page: Annotated[PageParams, Depends(page_params)]
) -> Page[AbuseReportOut]:
    """Oldest first: the IOC's moderation queue (Art. 17.2)."""
    return await service.get_open_reports(session, cursor=page.cursor, limit=page.limit)


@router.post(
    "/reviews/{review_id}/moderation",
    summary="Hide or restore a review (IOC)",
    responses={**NOT_FOUND, 403: {"description": "Needs catalog.content.moderate"}},
)
async def moderate_review(review_id: str, body: ModerationIn, session: DbSession, _: Moderator) -> ReviewOut:
    """Closes the review's open reports; a hidden review leaves the rating. Publishes ReviewModerated."""
    return await service.moderate_review(session, review_id=review_id, data=body)
