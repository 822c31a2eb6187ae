"""Routes of duplicate suggestions (before submitting, for triage) and merges (IOC)."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from feedback_service.config import FeedbackSettings
from feedback_service.duplicates import service
from feedback_service.duplicates.schemas import DuplicateOut, MergeIn
from feedback_service.preconditions import etag
from feedback_service.reports.schemas import ReportOut
from hues_shared.app import DbSession, Runtime, ServiceRuntime
from hues_shared.auth.principal import CurrentPrincipal, Principal, Role, require_permission, require_role
from hues_shared.geography import inside_hue
from hues_shared.permissions import REPORT_TRIAGE
from hues_shared.problems import UnprocessableContent
from hues_shared.types import utcnow

router = APIRouter(prefix="/v1/reports", tags=["duplicates"])
Triage = Annotated[Principal, require_permission(REPORT_TRIAGE)]


def _settings(runtime: ServiceRuntime) -> FeedbackSettings:
    settings = runtime.settings
    assert isinstance(settings, FeedbackSettings)
    return settings


@router.get("/duplicates", summary="Similar reports nearby, before submitting")
async def suggest_duplicates(
    session: DbSession,
    _: CurrentPrincipal,
    runtime: Runtime,
    category_code: Annotated[str, Query(max_length=40)],
    latitude: Annotated[float, Query(ge=-90, le=90)],
    longitude: Annotated[float, Query(ge=-180, le=180)],
) -> list[DuplicateOut]:
    """Public reports of the same category close by and recent: the citizen may follow one instead."""
    if not inside_hue(latitude, longitude):
        raise UnprocessableContent("The location must lie inside Hue.", slug="outside-hue")
    settings = _settings(runtime)
    return await service.find_duplicates(
        session,
        category_code=category_code,
        latitude=latitude,
        longitude=longitude,
        now=utcnow(),
        radius_metres=settings.duplicate_radius_metres,
        window_hours=settings.duplicate_window_hours,
        public_only=True,
    )


@router.get("/{report_id}/duplicates", summary="Possible duplicates of a report (IOC)")
async def get_duplicates(
    report_id: str, session: DbSession, principal: Triage, runtime: Runtime
) -> list[DuplicateOut]:
    """Same category, within the radius, submitted within the window around this report."""
    settings = _settings(runtime)
    return await service.get_duplicates_of(
        session,
        report_id=report_id,
        principal=principal,
        radius_metres=settings.duplicate_radius_metres,
        window_hours=settings.duplicate_window_hours,
    )


@router.post(
    "/{report_id}/merge",
    summary="Merge a duplicate into another report (IOC)",
    responses={409: {"description": "Wrong status"}, 412: {"description": "Stale If-Match"}},
)
async def merge(
    report_id: str,
    body: MergeIn,
    session: DbSession,
    principal: Triage,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ReportOut:
    """The duplicate's reporter then follows the kept report and gets its updates."""
    report = await service.merge_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body
    )
    response.headers["ETag"] = etag(report.id, report.version)
    return report


@router.post(
    "/{report_id}/followers",
    status_code=204,
    summary="Follow a public report instead of reporting it again (citizens)",
    responses={404: {"description": "No public report"}, 409: {"description": "The report has ended"}},
)
async def follow(
    report_id: str, session: DbSession, principal: Annotated[Principal, require_role(Role.CITIZEN)]
) -> Response:
    """The follower then gets the report's status messages, like its reporter. Following twice is harmless."""
    await service.follow_report(session, report_id=report_id, principal=principal)
    return Response(status_code=204)
