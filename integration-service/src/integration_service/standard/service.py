"""Which version of the connection standard a partner should follow."""

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.problems import NotFound
from integration_service.standard import repository
from integration_service.standard.schemas import ConnectionStandardOut


async def get_standard(session: AsyncSession, *, version: str | None = None) -> ConnectionStandardOut:
    """The named version, or the one in force (the latest published)."""
    row = await (repository.get(session, version=version) if version else repository.get_latest(session))
    if row is None:
        raise NotFound(
            f"No connection standard version {version}." if version else "No standard published yet."
        )
    return ConnectionStandardOut.model_validate(row)
