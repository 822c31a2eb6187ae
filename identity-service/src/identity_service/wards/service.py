"""Ward lookups used by registration (home ward) and offered to the app."""

from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.wards import repository
from identity_service.wards.schemas import WardOut


async def get_wards(session: AsyncSession) -> list[WardOut]:
    """All 40 wards and communes of Hue, by code."""
    return [WardOut.model_validate(row) for row in await repository.get_all(session)]


async def is_known_ward(session: AsyncSession, *, code: str) -> bool:
    return await repository.get(session, code=code) is not None
