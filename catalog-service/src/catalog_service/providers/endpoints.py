"""Routes of providers (Art. 6.1, 6.4, 13.1)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import JSONResponse

from catalog_service.access import CatalogAdministrator, OptionalPrincipal, ProviderStaff
from catalog_service.db import tables
from catalog_service.preconditions import set_etag
from catalog_service.providers import service
from catalog_service.providers.schemas import (
    ProviderCreateIn,
    ProviderOut,
    ProviderProfileIn,
    SuspensionIn,
    VerificationIn,
)
from hues_shared.app import DbSession
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/providers", tags=["providers"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such provider (or suspended)"}}
WRITE: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not this provider's staff (Art. 13.1) / missing permission"},
    412: {"description": "If-Match does not name the current version"},
    428: {"description": "If-Match missing"},
}


@router.get("", summary="Providers in the catalogue")
async def get_providers(
    session: DbSession, principal: OptionalPrincipal, page: Annotated[PageParams, Depends(page_params)]
) -> Page[ProviderOut]:
    """Active providers by name (the DIC and IOC also see suspended ones)."""
    return await service.get_providers(session, cursor=page.cursor, limit=page.limit, principal=principal)


@router.get("/{provider_id}", summary="One provider", responses=NOT_FOUND)
async def get_provider(
    provider_id: str, session: DbSession, principal: OptionalPrincipal, response: Response
) -> ProviderOut:
    """A provider's profile with its ETag; suspended providers are 404 except to their staff, DIC and IOC."""
    provider = await service.get_visible_provider(session, provider_id=provider_id, principal=principal)
    set_etag(response, provider.version)
    return ProviderOut.model_validate(provider)


@router.post(
    "",
    status_code=201,
    response_model=ProviderOut,
    summary="Create a provider (DIC)",
    responses={403: {"description": "Needs catalog.provider.manage (platform-wide)"}},
)
async def create_provider(
    body: ProviderCreateIn, request: Request, session: DbSession, _: CatalogAdministrator
) -> ProviderOut | JSONResponse:
    """The DIC creates agency providers (unit_id = the agency's identity unit); publishes ProviderPublished.

    Enterprise providers normally come from integration approvals (Art. 15.2). Honours `Idempotency-Key`.
    """
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    provider = await service.create_provider(session, data=body)
    await idempotency.remember(201, provider.model_dump(mode="json"))
    return provider


@router.patch("/{provider_id}", summary="Edit the provider's profile (its staff)", responses=WRITE)
async def update_provider(
    provider_id: str,
    body: ProviderProfileIn,
    session: DbSession,
    principal: ProviderStaff,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ProviderOut:
    """Only the provider's own staff (Art. 13.1); needs `If-Match` with the profile's ETag."""
    provider = await service.update_profile(
        session, provider_id=provider_id, data=body, if_match=if_match, principal=principal
    )
    set_etag(response, provider.version)
    return provider


@router.put("/{provider_id}/verification", summary="Set the verified mark (DIC)", responses=NOT_FOUND)
async def set_verification(
    provider_id: str, body: VerificationIn, session: DbSession, _: CatalogAdministrator
) -> ProviderOut:
    """The DIC vouches for a provider's identity; the mark is shown beside its offerings."""
    return await service.set_verified(session, provider_id=provider_id, verified=body.verified)


@router.post("/{provider_id}/suspension", summary="Suspend a provider (DIC)", responses=NOT_FOUND)
async def suspend_provider(
    provider_id: str, body: SuspensionIn, session: DbSession, _: CatalogAdministrator
) -> ProviderOut:
    """Its offerings leave search at once; publishes ProviderSuspended."""
    return await service.suspend_provider(session, provider_id=provider_id, reason=body.reason)


@router.delete("/{provider_id}/suspension", summary="Reinstate a provider (DIC)", responses=NOT_FOUND)
async def reinstate_provider(provider_id: str, session: DbSession, _: CatalogAdministrator) -> ProviderOut:
    """Its published offerings are found again; publishes ProviderReinstated."""
    return await service.reinstate_provider(session, provider_id=provider_id)
