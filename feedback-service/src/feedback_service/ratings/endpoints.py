"""Routes of the reporter's rating and reopening (no If-Match: only the reporter acts here)."""

from typing import Annotated

from fastapi import APIRouter

from feedback_service.config import FeedbackSettings
from feedback_service.ratings import service
from feedback_service.ratings.schemas import RatingIn, ReopenIn
from feedback_service.reports.schemas import ReportOut
from hues_shared.app import DbSession, Runtime
from hues_shared.auth.principal import Principal, Role, require_role

router = APIRouter(prefix="/v1/reports/{report_id}", tags=["report workflow"])
Citizen = Annotated[Principal, require_role(Role.CITIZEN)]
PROBLEMS: dict[int | str, dict[str, str]] = {
    404: {"description": "Not the caller's report"},
    409: {"description": "Not in a status that allows it, already reopened, or too late"},
}


@router.post("/rate", summary="Rate the outcome (reporter)", responses=PROBLEMS)
async def rate(report_id: str, body: RatingIn, session: DbSession, principal: Citizen) -> ReportOut:
    """Satisfaction 1-5 (Art. 16.3); satisfied closes the report."""
    return await service.rate_report(session, report_id=report_id, principal=principal, data=body)


@router.post("/reopen", summary="Reopen when unsatisfied (reporter, once, within 7 days)", responses=PROBLEMS)
async def reopen(
    report_id: str, body: ReopenIn, session: DbSession, principal: Citizen, runtime: Runtime
) -> ReportOut:
    settings = runtime.settings
    assert isinstance(settings, FeedbackSettings)
    return await service.reopen_report(
        session, report_id=report_id, principal=principal, data=body, window_days=settings.reopen_window_days
    )
