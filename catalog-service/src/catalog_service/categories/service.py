"""Offering categories in the caller's language."""

from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.categories import repository
from catalog_service.categories.schemas import OfferingCategoryOut, OfferingKind


async def get_categories(
    session: AsyncSession, *, kind: OfferingKind | None, language: str
) -> list[OfferingCategoryOut]:
    """Categories, optionally of one kind; essential ones are what Art. 6.4 asks the app to show."""
    rows = await repository.get_all(session, kind=kind)
    return [
        OfferingCategoryOut(
            code=row.code,
            kind=row.kind,
            name=row.name_en if language == "en" else row.name_vi,
            essential=row.essential,
            parent_code=row.parent_code,
        )
        for row in rows
    ]
