"""Submitting and reading reports (Art. 6.3); the reporter is hidden from handling units."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.categories import service as categories
from feedback_service.deadlines.service import get_calendar
from feedback_service.preconditions import ensure_if_match
from feedback_service.reports import repository
from feedback_service.reports.authorization import ensure_can_view, ensure_reporter, is_triage
from feedback_service.reports.history import record_step
from feedback_service.reports.models import Report, ReporterLookup
from feedback_service.reports.pseudonyms import reporter_pseudonym
from feedback_service.reports.schemas import (
    ReporterLookupOut,
    ReporterOut,
    ReportIn,
    ReportOut,
    ReportSummaryOut,
    TimelineEntryOut,
)
from feedback_service.units import service as units
from hues_shared.auth.principal import Principal
from hues_shared.contracts.feedback import ReportStatus, ReportSubmitted, UrgentReportRaised
from hues_shared.geography import is_hue_ward
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.permissions import REPORT_PROCESS
from hues_shared.problems import NotFound, UnprocessableContent
from hues_shared.types import utcnow

URGENT_TRIAGE_HOURS = 4  # iHanoi accepts urgent reports within 4 working hours (issue 11)


async def submit_report(
    session: AsyncSession, *, data: ReportIn, principal: Principal, pseudonym_key: str
) -> ReportOut:
    """A verified citizen reports (Art. 6.3): routed by category and ward, due for triage in working hours."""
    category = await categories.get_active_category(session, code=data.category_code)
    if not is_hue_ward(data.ward_code):
        raise UnprocessableContent("Not a ward or commune of Hue (see the ward list).", slug="unknown-ward")
    now = utcnow()
    urgent = data.urgent and category.urgency_allowed
    triage_hours = (
        min(category.acceptance_hours, URGENT_TRIAGE_HOURS) if urgent else category.acceptance_hours
    )
    calendar = await get_calendar(session, now=now)
    report = await repository.create(
        session,
        report=Report(
            id=str(uuid.uuid4()),
            category_code=category.code,
            title=data.title.strip(),
            description=data.description,
            latitude=data.latitude,
            longitude=data.longitude,
            address=data.address,
            ward_code=data.ward_code,
            is_public=data.is_public,
            urgency_claimed=data.urgent,
            urgent=urgent,
            status=ReportStatus.SUBMITTED,
            suggested_unit_id=await categories.route(
                session, category_code=category.code, ward_code=data.ward_code
            ),
            reporter_account_id=principal.account_id,
            reporter_pseudonym=reporter_pseudonym(key=pseudonym_key, account_id=principal.account_id),
            version=1,
            submitted_at=now,
            updated_at=now,
            due_at=calendar.add_working_hours(now, triage_hours),
            deadline_stage="triage",
            overdue=False,
            reopen_count=0,
        ),
    )
    await record_step(
        session,
        report=report,
        step="submitted",
        event_cls=ReportSubmitted,
        at=now,
        recipients=[principal.account_id],
        is_public=report.is_public,
        suggested_unit_id=report.suggested_unit_id,
        due_at=report.due_at,
    )
    if urgent:
        await raise_urgent(session, report=report, at=now)
    first = TimelineEntryOut(status=report.status, step="submitted", note=None, unit_name=None, at=now)
    return await report_out(session, report=report, timeline=[first])


async def raise_urgent(session: AsyncSession, *, report: Report, at: datetime) -> None:
    """Tell the officers of the report's ward at once (an event; notification-service reaches them)."""
    await record_step(
        session,
        report=report,
        step="urgent",
        event_cls=UrgentReportRaised,
        at=at,
        public=False,
        tell_reporter=False,
        ward_unit_ids=await units.get_ward_unit_ids(session, ward_code=report.ward_code),
    )


async def report_out(
    session: AsyncSession, *, report: Report, timeline: list[TimelineEntryOut] | None = None
) -> ReportOut:
    """The report with its timeline (read unless given) and its unit's name."""
    if timeline is None:
        timeline = [
            TimelineEntryOut.model_validate(e)
            for e in await repository.get_timeline(session, report_id=report.id)
        ]
    names = await units.get_unit_names(session, unit_ids={report.unit_id} if report.unit_id else set())
    return ReportOut(
        **{name: getattr(report, name) for name in ReportOut.model_fields if hasattr(report, name)},
        unit_name=names.get(report.unit_id or ""),
        timeline=timeline,
    )


async def get_report(session: AsyncSession, *, report_id: str) -> Report:
    report = await repository.get(session, report_id=report_id)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    return report


async def get_visible_report(session: AsyncSession, *, report_id: str, principal: Principal) -> Report:
    """The report if the caller may see it (reporter, follower, IOC, officer of its unit), else 404."""
    report = await get_report(session, report_id=report_id)
    follower = await repository.is_follower(session, report_id=report_id, account_id=principal.account_id)
    ensure_can_view(principal, report, follower=follower)
    return report


def _page(rows: list[Report], limit: int) -> Page[ReportSummaryOut]:
    items = [ReportSummaryOut.model_validate(r) for r in rows[:limit]]
    cursor = None
    if len(rows) > limit:
        cursor = encode_cursor([items[-1].submitted_at.isoformat(), items[-1].id])
    return Page(items=items, next_cursor=cursor)


def _after(cursor: str | None) -> tuple[datetime, str] | None:
    values = decode_cursor(cursor)
    return (datetime.fromisoformat(values[0]), str(values[1])) if values else None


async def get_my_reports(
    session: AsyncSession, *, principal: Principal, cursor: str | None, limit: int
) -> Page[ReportSummaryOut]:
    rows = await repository.get_all_of_reporter(
        session, account_id=principal.account_id, after=_after(cursor), limit=limit + 1
    )
    return _page(list(rows), limit)


async def get_staff_reports(
    session: AsyncSession,
    *,
    principal: Principal,
    status: str | None,
    overdue: bool | None,
    cursor: str | None,
    limit: int,
) -> Page[ReportSummaryOut]:
    """The IOC sees every report; an officer only those of the units where they hold the right (Art. 13.1)."""
    unit_ids = None if is_triage(principal) else principal.units_for(REPORT_PROCESS)
    rows = await repository.get_all_for_staff(
        session, unit_ids=unit_ids, status=status, overdue=overdue, after=_after(cursor), limit=limit + 1
    )
    return _page(list(rows), limit)


async def look_up_reporter(
    session: AsyncSession, *, report_id: str, principal: Principal, reason: str
) -> ReporterOut:
    """The IOC sees who reported; each look is written to the audit trail with its reason."""
    report = await get_report(session, report_id=report_id)
    await repository.add_lookup(
        session,
        lookup=ReporterLookup(
            report_id=report.id, actor_account_id=principal.account_id, reason=reason, at=utcnow()
        ),
    )
    return ReporterOut(
        report_id=report.id,
        reporter_account_id=report.reporter_account_id,
        reporter_pseudonym=report.reporter_pseudonym,
    )


async def get_report_for_update(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None
) -> Report:
    """Lock the row (concurrent steps queue on it), hide it from those who may not see it, then check
    If-Match against the locked version (officers' edits, 428/412)."""
    report = await repository.get_for_update(session, report_id=report_id)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    follower = await repository.is_follower(session, report_id=report_id, account_id=principal.account_id)
    ensure_can_view(principal, report, follower=follower)
    ensure_if_match(if_match, object_id=report.id, version=report.version)
    return report


async def get_report_of_reporter_for_update(
    session: AsyncSession, *, report_id: str, principal: Principal
) -> Report:
    """The reporter's own report, locked (rating and reopening need no If-Match: one person, one device)."""
    report = await repository.get_for_update(session, report_id=report_id)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    ensure_reporter(principal, report)
    return report


async def get_reporter_lookups(session: AsyncSession, *, report_id: str) -> list[ReporterLookupOut]:
    """Who looked at the reporter's identity, when and why (for the DIC's audit, Art. 13.2)."""
    await get_report(session, report_id=report_id)
    return [
        ReporterLookupOut.model_validate(r)
        for r in await repository.get_lookups(session, report_id=report_id)
    ]
