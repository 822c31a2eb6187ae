"""Duplicates: same category within a radius and a time window, suggested to the reporter before
submitting and to triage after; triage merges, and the merged report's reporter follows the kept one."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.duplicates.geo import bounding_box, distance_metres
from feedback_service.duplicates.schemas import DuplicateOut, MergeIn
from feedback_service.reports import repository as reports_repository
from feedback_service.reports import service as reports
from feedback_service.reports.authorization import ensure_triage
from feedback_service.reports.history import record_step
from feedback_service.reports.models import Report
from feedback_service.reports.schemas import ReportOut
from feedback_service.workflow.service import move
from hues_shared.auth.principal import Principal
from hues_shared.contracts.feedback import ReportMerged, ReportStatus
from hues_shared.problems import Conflict, NotFound, UnprocessableContent
from hues_shared.types import utcnow

ENDED = [ReportStatus.REJECTED, ReportStatus.MERGED, ReportStatus.CLOSED]


async def find_duplicates(
    session: AsyncSession,
    *,
    category_code: str,
    latitude: float,
    longitude: float,
    now: datetime,
    radius_metres: float,
    window_hours: int,
    public_only: bool,
    exclude_id: str | None = None,
) -> list[DuplicateOut]:
    """Open reports of the category within `radius_metres`, of the last `window_hours`, nearest first."""
    south, west, north, east = bounding_box(latitude, longitude, radius_metres)
    rows = await reports_repository.get_recent_in_box(
        session,
        category_code=category_code,
        since=now - timedelta(hours=window_hours),
        south=south,
        west=west,
        north=north,
        east=east,
        exclude_statuses=ENDED,
    )
    found = []
    for row in rows:
        if row.id == exclude_id or (public_only and not row.is_public):
            continue
        distance = distance_metres(latitude, longitude, row.latitude, row.longitude)
        if distance <= radius_metres:
            found.append(
                DuplicateOut(
                    id=row.id,
                    title=row.title,
                    status=row.status,
                    distance_metres=round(distance, 1),
                    submitted_at=row.submitted_at,
                )
            )
    return sorted(found, key=lambda d: d.distance_metres)


async def get_duplicates_of(
    session: AsyncSession, *, report_id: str, principal: Principal, radius_metres: float, window_hours: int
) -> list[DuplicateOut]:
    """For triage: candidates around an existing report (private ones included)."""
    ensure_triage(principal)
    report = await reports.get_report(session, report_id=report_id)
    return await find_duplicates(
        session,
        category_code=report.category_code,
        latitude=report.latitude,
        longitude=report.longitude,
        now=report.submitted_at + timedelta(hours=window_hours),
        radius_metres=radius_metres,
        window_hours=window_hours * 2,
        public_only=False,
        exclude_id=report.id,
    )


async def merge_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: MergeIn
) -> ReportOut:
    """The duplicate ends as `merged`; its reporter and followers now follow the kept report."""
    ensure_triage(principal)
    if data.into_report_id == report_id:
        raise UnprocessableContent("A report cannot be merged into itself.", slug="merge-into-self")
    duplicate = await reports.get_report_for_update(
        session, report_id=report_id, principal=principal, if_match=if_match
    )
    kept: Report | None = await reports_repository.get_for_update(session, report_id=data.into_report_id)
    if kept is None:
        raise NotFound(f"No report {data.into_report_id}.")
    if kept.status in ENDED:
        raise Conflict(f"Cannot merge into a report that is {kept.status}.", slug="merge-target-ended")
    now = utcnow()
    move(duplicate, "merge", now)
    duplicate.merged_into_id, duplicate.deadline_stage, duplicate.closed_at = kept.id, None, now
    await record_step(
        session,
        report=duplicate,
        step="merged",
        event_cls=ReportMerged,
        at=now,
        note=f"Gộp vào phản ánh {kept.id}",
        into_report_id=kept.id,
    )
    followers = [duplicate.reporter_account_id]
    followers += await reports_repository.get_follower_ids(session, report_id=duplicate.id)
    for account_id in followers:
        if account_id != kept.reporter_account_id:
            await reports_repository.add_follower(session, report_id=kept.id, account_id=account_id)
    return await reports.report_out(session, report=duplicate)


async def follow_report(session: AsyncSession, *, report_id: str, principal: Principal) -> None:
    """Instead of reporting the same problem again, a citizen follows a public report and hears of it."""
    report = await reports.get_report(session, report_id=report_id)
    if not report.is_public:
        raise NotFound(f"No report {report_id}.")
    if report.status in ENDED:
        raise Conflict(
            f"The report is {report.status}; there is nothing left to follow.", slug="report-ended"
        )
    if report.reporter_account_id != principal.account_id:
        await reports_repository.add_follower(session, report_id=report.id, account_id=principal.account_id)
