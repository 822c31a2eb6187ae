"""Routes of the wards reference list."""

from fastapi import APIRouter

from hues_shared.app import DbSession
from identity_service.wards import service
from identity_service.wards.schemas import WardOut

router = APIRouter(prefix="/v1/wards", tags=["reference data"])


@router.get("", summary="Hue's wards and communes")
async def get_wards(session: DbSession) -> list[WardOut]:
    """Public reference list (province code 46) for home-ward and report-location pickers."""
    return await service.get_wards(session)
