"""Routes publishing the connection standard."""

from fastapi import APIRouter

from hues_shared.app import DbSession
from integration_service.standard import service
from integration_service.standard.schemas import ConnectionStandardOut

router = APIRouter(prefix="/v1/connection-standard", tags=["connection standard"])


@router.get("", summary="The connection standard in force")
async def get_current_standard(session: DbSession) -> ConnectionStandardOut:
    """What a partner system must implement to integrate with Hue-S (issued by the DIC, Art. 15.2)."""
    return await service.get_standard(session)


@router.get("/{version}", summary="One version of the connection standard")
async def get_standard_version(session: DbSession, version: str) -> ConnectionStandardOut:
    """A specific, possibly superseded, version."""
    return await service.get_standard(session, version=version)
