"""Routes of offerings: written by the provider's staff (Art. 13.1), read by all, moderated by the IOC."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import JSONResponse

from catalog_service.access import Moderator, OptionalPrincipal, ProviderStaff
from catalog_service.db import tables
from catalog_service.offerings import service
from catalog_service.offerings.schemas import OfferingIn, OfferingOut, OfferingUpdateIn
from catalog_service.preconditions import set_etag
from catalog_service.providers.schemas import SuspensionIn
from hues_shared.app import DbSession
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1", tags=["offerings"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such offering (or not public)"}}
STAFF_WRITE: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not this provider's staff (Art. 13.1)"},
    409: {"description": "Withdrawn offering / suspended provider"},
    412: {"description": "If-Match does not name the current version"},
    428: {"description": "If-Match missing"},
}


@router.post(
    "/providers/{provider_id}/offerings",
    status_code=201,
    response_model=OfferingOut,
    summary="Publish an offering (the provider's staff)",
    responses={**STAFF_WRITE, 422: {"description": "Invalid offering, unknown category or ward"}},
)
async def create_offering(
    provider_id: str, body: OfferingIn, request: Request, session: DbSession, principal: ProviderStaff
) -> OfferingOut | JSONResponse:
    """Essential goods and services, online public services (procedure code + national portal link),
    mini-apps (Art. 6.4, 6.5). Only the provider's own staff (Art. 13.1). Honours `Idempotency-Key`."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    offering = await service.create_offering(session, provider_id=provider_id, data=body, principal=principal)
    await idempotency.remember(201, offering.model_dump(mode="json"))
    return offering


@router.get("/providers/{provider_id}/offerings", summary="A provider's offerings", responses=NOT_FOUND)
async def get_provider_offerings(
    provider_id: str,
    session: DbSession,
    principal: OptionalPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[OfferingOut]:
    """Published offerings; the provider's staff, DIC and IOC also see suspended and withdrawn ones."""
    return await service.get_provider_offerings(
        session, provider_id=provider_id, principal=principal, cursor=page.cursor, limit=page.limit
    )


@router.get("/offerings/{offering_id}", summary="One offering", responses=NOT_FOUND)
async def get_offering(
    offering_id: str, session: DbSession, principal: OptionalPrincipal, response: Response
) -> OfferingOut:
    """With its ETag, whether it is open now (Asia/Ho_Chi_Minh) and its rating."""
    offering, provider = await service.get_visible_offering(
        session, offering_id=offering_id, principal=principal
    )
    set_etag(response, offering.version)
    return service.to_out(offering, provider)


@router.patch(
    "/offerings/{offering_id}", summary="Edit an offering (the provider's staff)", responses=STAFF_WRITE
)
async def update_offering(
    offering_id: str,
    body: OfferingUpdateIn,
    session: DbSession,
    principal: ProviderStaff,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> OfferingOut:
    """Only the provider's own staff (Art. 13.1); `If-Match` with the ETag of the version edited."""
    offering = await service.update_offering(
        session, offering_id=offering_id, data=body, if_match=if_match, principal=principal
    )
    set_etag(response, offering.version)
    return offering


@router.delete(
    "/offerings/{offering_id}", summary="Withdraw an offering (the provider's staff)", responses=STAFF_WRITE
)
async def withdraw_offering(offering_id: str, session: DbSession, principal: ProviderStaff) -> OfferingOut:
    """The offering leaves the catalogue; publishes OfferingSuspended (by provider)."""
    return await service.withdraw_offering(session, offering_id=offering_id, principal=principal)


@router.post(
    "/offerings/{offering_id}/suspension",
    summary="Suspend an offering (IOC moderation)",
    responses={
        **NOT_FOUND,
        403: {"description": "Needs catalog.content.moderate"},
        409: {"description": "Not published"},
    },
)
async def suspend_offering(
    offering_id: str, body: SuspensionIn, session: DbSession, _: Moderator
) -> OfferingOut:
    """Hidden from search and public reads until reinstated (Art. 17.2); publishes OfferingSuspended."""
    return await service.suspend_offering(session, offering_id=offering_id, reason=body.reason)


@router.delete(
    "/offerings/{offering_id}/suspension",
    summary="Reinstate a suspended offering (IOC moderation)",
    responses={
        **NOT_FOUND,
        403: {"description": "Needs catalog.content.moderate"},
        409: {"description": "Not suspended"},
    },
)
async def reinstate_offering(offering_id: str, session: DbSession, _: Moderator) -> OfferingOut:
    """Publishes OfferingUpdated with status published."""
    return await service.reinstate_offering(session, offering_id=offering_id)
