"""Routes of the working calendar (deadlines count working hours, Art. 12.2)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter

from feedback_service.deadlines import service
from feedback_service.deadlines.schemas import CalendarOverrideIn, CalendarOverrideOut
from hues_shared.app import DbSession
from hues_shared.auth.principal import Principal, require_permission
from hues_shared.permissions import REPORT_TRIAGE

router = APIRouter(prefix="/v1/calendar", tags=["working calendar"])
Triage = Annotated[Principal, require_permission(REPORT_TRIAGE)]
PROBLEMS: dict[int | str, dict[str, str]] = {
    401: {"description": "No valid token"},
    403: {"description": "Not the IOC (feedback.report.triage)"},
}


@router.get("/overrides", summary="Days declared holidays or working days beyond the official list")
async def get_overrides(session: DbSession) -> list[CalendarOverrideOut]:
    """Public: the deadlines shown to citizens depend on them."""
    return await service.get_overrides(session)


@router.put("/overrides/{day}", summary="Declare a holiday or a working day (IOC)", responses=PROBLEMS)
async def put_override(
    day: date, body: CalendarOverrideIn, session: DbSession, _: Triage
) -> CalendarOverrideOut:
    """Applies to deadlines computed from now on; deadlines already set stay as they are."""
    return await service.put_override(session, day=day, data=body)


@router.delete(
    "/overrides/{day}",
    status_code=204,
    summary="Remove an override (IOC)",
    responses={**PROBLEMS, 404: {"description": "No override that day"}},
)
async def delete_override(day: date, session: DbSession, _: Triage) -> None:
    await service.delete_override(session, day=day)
