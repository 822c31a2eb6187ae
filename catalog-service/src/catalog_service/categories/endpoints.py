"""Routes of offering categories."""

from typing import Annotated

from fastapi import APIRouter, Header, Query

from catalog_service.categories import service
from catalog_service.categories.schemas import OfferingCategoryOut, OfferingKind
from hues_shared.app import DbSession
from hues_shared.i18n import preferred_language

router = APIRouter(prefix="/v1/categories", tags=["categories"])


@router.get("", summary="Kinds of products and services on offer")
async def get_categories(
    session: DbSession,
    kind: Annotated[OfferingKind | None, Query(description="Only categories of this kind")] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> list[OfferingCategoryOut]:
    """Public list of offering categories (essential goods, services, online public services)."""
    return await service.get_categories(session, kind=kind, language=preferred_language(accept_language))
