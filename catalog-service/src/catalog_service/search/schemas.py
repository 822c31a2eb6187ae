"""API shapes of search results."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from catalog_service.offerings.schemas import ProviderBadge

SortOrder = Literal["relevance", "distance"]


class OfferingHit(BaseModel):
    id: str
    title: str
    kind: str
    category_code: str
    provider: ProviderBadge
    address: str | None
    ward_code: str | None
    latitude: float | None
    longitude: float | None
    price_note: str | None
    distance_m: float | None = Field(description="From the given lat/lng, when given")
    open_now: bool | None
    rating_average: float | None
    rating_count: int
