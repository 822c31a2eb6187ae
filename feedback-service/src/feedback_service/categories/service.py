"""Report categories as citizens see them, in the language they asked for."""

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.categories import repository
from feedback_service.categories.schemas import ReportCategoryOut


async def get_categories(session: AsyncSession, *, language: str) -> list[ReportCategoryOut]:
    """Active categories in display order; Vietnamese unless English was asked for."""
    return [
        ReportCategoryOut(
            code=row.code,
            name=row.name_en if language == "en" else row.name_vi,
            group=row.group,
            handling_days=row.handling_days,
        )
        for row in await repository.get_all_active(session)
    ]
