"""The reporter rates the outcome (Art. 16.3) and, unsatisfied, may reopen once within 7 days."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.categories import service as categories
from feedback_service.deadlines.service import get_calendar
from feedback_service.ratings.schemas import RatingIn, ReopenIn
from feedback_service.reports import repository as reports_repository
from feedback_service.reports import service as reports
from feedback_service.reports.history import record_step
from feedback_service.reports.schemas import ReportOut
from feedback_service.workflow.service import move, settle
from hues_shared.auth.principal import Principal
from hues_shared.contracts.feedback import ReportRated, ReportReopened, ReportStatus
from hues_shared.problems import Conflict
from hues_shared.types import utcnow


async def rate_report(
    session: AsyncSession, *, report_id: str, principal: Principal, data: RatingIn
) -> ReportOut:
    """A satisfied rating closes the report; an unsatisfied one leaves 7 days to reopen it."""
    report = await reports.get_report_of_reporter_for_update(
        session, report_id=report_id, principal=principal
    )
    now = utcnow()
    move(report, "rate", now)
    report.rating_satisfied, report.rating_score, report.rating_comment = (
        data.satisfied,
        data.score,
        data.comment,
    )
    report.rated_at = now
    await record_step(
        session,
        report=report,
        step="rated",
        event_cls=ReportRated,
        at=now,
        satisfied=data.satisfied,
        score=data.score,
    )
    if data.satisfied:
        await settle(session, report=report, at=now, step="close")
    return await reports.report_out(session, report=report)


async def reopen_report(
    session: AsyncSession, *, report_id: str, principal: Principal, data: ReopenIn, window_days: int
) -> ReportOut:
    """Once, unsatisfied, within `window_days` of publication: the same unit handles it again."""
    report = await reports.get_report_of_reporter_for_update(
        session, report_id=report_id, principal=principal
    )
    now = utcnow()
    if report.rating_satisfied is not False:
        raise Conflict("Only an unsatisfied rating can reopen the report.", slug="reopen-not-allowed")
    if report.reopen_count >= 1:
        raise Conflict("A report can be reopened once.", slug="reopen-not-allowed")
    if report.published_at is None or now > report.published_at + timedelta(days=window_days):
        raise Conflict(
            f"Reopening is possible within {window_days} days of publication.", slug="reopen-too-late"
        )
    move(report, "reopen", now)
    category = await categories.get_category(session, code=report.category_code)
    calendar = await get_calendar(session, now=now)
    hours = category.urgent_handling_hours if report.urgent else category.handling_hours
    report.reopen_count += 1
    report.due_at, report.deadline_stage, report.overdue = (
        calendar.add_working_hours(now, hours),
        "handling",
        False,
    )
    report.assigned_at = now
    await record_step(
        session,
        report=report,
        step="reopened",
        event_cls=ReportReopened,
        at=now,
        note=data.reason,
        due_at=report.due_at,
    )
    return await reports.report_out(session, report=report)


async def settle_reports(session: AsyncSession, *, now: datetime, window_days: int, limit: int = 500) -> int:
    """Close published or rated reports whose reopening window has ended."""
    rows = await reports_repository.get_settled_candidates(
        session,
        statuses=[ReportStatus.PUBLISHED, ReportStatus.RATED],
        before=now - timedelta(days=window_days),
        limit=limit,
    )
    for report in rows:
        await settle(session, report=report, at=now, step="settle")
    return len(rows)
