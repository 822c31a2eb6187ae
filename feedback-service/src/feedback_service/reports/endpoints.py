"""Routes of reports: submitting (citizens) and reading (reporter, IOC, handling unit)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from feedback_service.config import FeedbackSettings
from feedback_service.db import tables
from feedback_service.preconditions import etag
from feedback_service.reports import service
from feedback_service.reports.schemas import (
    ReporterLookupOut,
    ReporterOut,
    ReportIn,
    ReportOut,
    ReportSummaryOut,
)
from hues_shared.app import DbSession, Runtime
from hues_shared.auth.principal import CurrentPrincipal, Principal, Role, require_permission, require_role
from hues_shared.contracts.feedback import ReportStatus
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, page_params
from hues_shared.permissions import AUDIT_READ, REPORT_PROCESS, REPORT_TRIAGE
from hues_shared.problems import Forbidden

router = APIRouter(prefix="/v1/reports", tags=["reports"])
Citizen = Annotated[Principal, require_role(Role.CITIZEN)]
Triage = Annotated[Principal, require_permission(REPORT_TRIAGE)]
NOT_FOUND: dict[int | str, dict[str, str]] = {404: {"description": "No such report visible to the caller"}}


async def _staff(principal: CurrentPrincipal) -> Principal:
    if not (principal.holds_anywhere(REPORT_TRIAGE) or principal.holds_anywhere(REPORT_PROCESS)):
        raise Forbidden("Only the IOC and handling officers list reports.")
    return principal


Staff = Annotated[Principal, Depends(_staff)]


@router.post(
    "",
    status_code=201,
    response_model=ReportOut,
    summary="Submit a report (citizens)",
    responses={422: {"description": "Invalid field, unknown category or ward, location outside Hue"}},
)
async def submit_report(
    body: ReportIn, request: Request, session: DbSession, runtime: Runtime, principal: Citizen
) -> ReportOut | JSONResponse:
    """A verified citizen reports a problem in the city (Art. 6.3). Honours `Idempotency-Key`: a retry
    from a flaky mobile network returns the first answer instead of a second report."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    settings = runtime.settings
    assert isinstance(settings, FeedbackSettings)
    report = await service.submit_report(
        session,
        data=body,
        principal=principal,
        pseudonym_key=settings.reporter_pseudonym_key.get_secret_value(),
    )
    await idempotency.remember(201, report.model_dump(mode="json"))
    return report


@router.get("/mine", summary="My reports")
async def get_my_reports(
    session: DbSession, principal: CurrentPrincipal, page: Annotated[PageParams, Depends(page_params)]
) -> Page[ReportSummaryOut]:
    """The caller's own reports, newest first."""
    return await service.get_my_reports(session, principal=principal, cursor=page.cursor, limit=page.limit)


@router.get("", summary="Reports to handle (IOC: all; officers: their units')")
async def get_reports(
    session: DbSession,
    principal: Staff,
    page: Annotated[PageParams, Depends(page_params)],
    status: ReportStatus | None = None,
    overdue: bool | None = None,
) -> Page[ReportSummaryOut]:
    """Art. 13.1: an officer sees only the reports of the units where they hold feedback.report.process."""
    return await service.get_staff_reports(
        session, principal=principal, status=status, overdue=overdue, cursor=page.cursor, limit=page.limit
    )


@router.get("/{report_id}", summary="One report, with its timeline and ETag", responses=NOT_FOUND)
async def get_report(
    report_id: str, session: DbSession, principal: CurrentPrincipal, response: Response
) -> ReportOut:
    """For the reporter, followers, the IOC and the handling unit; the reporter appears as a pseudonym."""
    report = await service.get_visible_report(session, report_id=report_id, principal=principal)
    response.headers["ETag"] = etag(report.id, report.version)
    return await service.report_out(session, report=report)


@router.get("/{report_id}/reporter", summary="Who reported (IOC, audited)", responses=NOT_FOUND)
async def look_up_reporter(
    report_id: str,
    session: DbSession,
    principal: Triage,
    reason: Annotated[str, Query(min_length=5, max_length=500, description="Why; kept in the audit")],
) -> ReporterOut:
    """The reporter is hidden from units; the IOC may look, and every look is audited with its reason."""
    return await service.look_up_reporter(session, report_id=report_id, principal=principal, reason=reason)


@router.get(
    "/{report_id}/reporter-lookups",
    summary="Audit of the looks at a report's reporter (DIC)",
    responses={**NOT_FOUND, 403: {"description": "Needs identity.audit.read"}},
)
async def get_reporter_lookups(
    report_id: str, session: DbSession, _: Annotated[Principal, require_permission(AUDIT_READ)]
) -> list[ReporterLookupOut]:
    """Every IOC look at the hidden reporter, with who, when and the reason given (Art. 13.2)."""
    return await service.get_reporter_lookups(session, report_id=report_id)
