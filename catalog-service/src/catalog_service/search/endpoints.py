"""Route of catalogue search (public)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from catalog_service.search import service
from catalog_service.search.schemas import OfferingHit, SortOrder
from hues_shared.app import DbSession
from hues_shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/search", tags=["search"])


@router.get("", summary="Search offerings", responses={400: {"description": "Inconsistent location or time"}})
async def search_offerings(
    session: DbSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=200, description="Words, with or without diacritics")] = None,
    category: Annotated[
        str | None, Query(max_length=40, description="Category code (and those below it)")
    ] = None,
    ward_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    provider_id: Annotated[str | None, Query(max_length=36)] = None,
    open_now: Annotated[bool, Query(description="Only open now (Asia/Ho_Chi_Minh)")] = False,
    open_at: Annotated[
        datetime | None, Query(description="Only open at this instant (ISO 8601 with offset)")
    ] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lng: Annotated[float | None, Query(ge=-180, le=180)] = None,
    radius_m: Annotated[float | None, Query(gt=0, le=100_000)] = None,
    sort: Annotated[
        SortOrder, Query(description="relevance (default) or distance from lat/lng")
    ] = "relevance",
) -> Page[OfferingHit]:
    """Published offerings of active providers (Art. 6.4): "pho bo hue" finds "Phở bò Huế", "d" finds "đ",
    word order is free, the last word matches as a prefix (type-ahead), words of 5+ letters tolerate one
    typo. Filters: category (with sub-categories), ward, provider, open now; nearest first with lat/lng."""
    return await service.search_offerings(
        session,
        q=q,
        category=category,
        ward_code=ward_code,
        provider_id=provider_id,
        open_now=open_now,
        open_at=open_at,
        lat=lat,
        lng=lng,
        radius_m=radius_m,
        sort=sort,
        cursor=page.cursor,
        limit=page.limit,
    )
