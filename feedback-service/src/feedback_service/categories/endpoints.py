"""Routes of report categories."""

from typing import Annotated

from fastapi import APIRouter, Header

from feedback_service.categories import service
from feedback_service.categories.schemas import ReportCategoryOut
from hues_shared.app import DbSession
from hues_shared.i18n import preferred_language

router = APIRouter(prefix="/v1/categories", tags=["categories"])


@router.get("", summary="What citizens can report")
async def get_categories(
    session: DbSession, accept_language: Annotated[str | None, Header()] = None
) -> list[ReportCategoryOut]:
    """Public list of report categories with the number of days agencies have to handle each."""
    return await service.get_categories(session, language=preferred_language(accept_language))
