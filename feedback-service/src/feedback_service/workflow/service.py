"""The IOC's and the units' workflow steps, each under a row lock, each an event and a timeline entry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.categories import service as categories
from feedback_service.deadlines.service import get_calendar
from feedback_service.reports import service as reports
from feedback_service.reports.authorization import ensure_handling_officer, ensure_triage
from feedback_service.reports.history import record_step
from feedback_service.reports.models import Report
from feedback_service.reports.schemas import ReportOut
from feedback_service.reports.service import raise_urgent
from feedback_service.units import service as units
from feedback_service.workflow.schemas import AcceptIn, AssignIn, NoteIn, ReasonIn, ResolveIn, TransferIn
from feedback_service.workflow.transitions import next_status
from hues_shared.auth.principal import Principal
from hues_shared.contracts.feedback import (
    ReportAccepted,
    ReportAcknowledged,
    ReportAssigned,
    ReportClosed,
    ReportPublished,
    ReportRejected,
    ReportResolved,
    ReportReturned,
    ReportWorkStarted,
)
from hues_shared.types import utcnow


def move(report: Report, step: str, at: datetime) -> None:
    """Apply a step's status change and bump the version (the ETag)."""
    report.status = next_status(step, report.status)
    report.version += 1
    report.updated_at = at


async def _locked(
    session: AsyncSession, report_id: str, principal: Principal, if_match: str | None, *, unit_step: bool
) -> Report:
    report = await reports.get_report_for_update(
        session, report_id=report_id, principal=principal, if_match=if_match
    )
    if unit_step:
        ensure_handling_officer(principal, report)
    else:
        ensure_triage(principal)
    return report


async def assign_to_unit(
    session: AsyncSession, *, report: Report, unit_id: str, at: datetime, step: str, note: str | None = None
) -> None:
    """Give the report to a unit with a fresh handling deadline in working hours (per category, urgency)."""
    unit = await units.get_active_unit(session, unit_id=unit_id)
    category = await categories.get_category(session, code=report.category_code)
    calendar = await get_calendar(session, now=at)
    previous_unit_id = report.unit_id if step == "transfer" else None
    move(report, step, at)
    report.unit_id, report.assigned_at, report.overdue = unit.id, at, False
    hours = category.urgent_handling_hours if report.urgent else category.handling_hours
    report.due_at, report.deadline_stage = calendar.add_working_hours(at, hours), "handling"
    await record_step(
        session,
        report=report,
        step="transferred" if previous_unit_id else "assigned",
        event_cls=ReportAssigned,
        at=at,
        note=note,
        unit_name=unit.name,
        due_at=report.due_at,
        transferred_from_unit_id=previous_unit_id,
    )


async def accept_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: AcceptIn
) -> ReportOut:
    """IOC triage accepts; the report goes at once to the chosen unit or the routing rule's, if any."""
    report = await _locked(session, report_id, principal, if_match, unit_step=False)
    now = utcnow()
    newly_urgent = bool(data.urgent) and not report.urgent
    if data.urgent is not None:
        report.urgent = data.urgent
    move(report, "accept", now)  # the triage deadline runs on until the report is assigned
    await record_step(session, report=report, step="accepted", event_cls=ReportAccepted, at=now)
    if newly_urgent:
        await raise_urgent(session, report=report, at=now)
    unit_id = data.unit_id or report.suggested_unit_id
    if unit_id is not None:
        await assign_to_unit(session, report=report, unit_id=unit_id, at=now, step="assign")
    return await reports.report_out(session, report=report)


async def reject_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: ReasonIn
) -> ReportOut:
    report = await _locked(session, report_id, principal, if_match, unit_step=False)
    now = utcnow()
    move(report, "reject", now)
    report.rejection_reason, report.deadline_stage, report.closed_at = data.reason, None, now
    await record_step(
        session,
        report=report,
        step="rejected",
        event_cls=ReportRejected,
        at=now,
        note=data.reason,
        reason=data.reason,
    )
    return await reports.report_out(session, report=report)


async def assign_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: AssignIn
) -> ReportOut:
    report = await _locked(session, report_id, principal, if_match, unit_step=False)
    await assign_to_unit(session, report=report, unit_id=data.unit_id, at=utcnow(), step="assign")
    return await reports.report_out(session, report=report)


async def transfer_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: TransferIn
) -> ReportOut:
    """The IOC moves a report between units (the new unit gets a fresh deadline)."""
    report = await _locked(session, report_id, principal, if_match, unit_step=False)
    await assign_to_unit(
        session, report=report, unit_id=data.unit_id, at=utcnow(), step="transfer", note=data.reason
    )
    return await reports.report_out(session, report=report)


async def acknowledge_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: NoteIn
) -> ReportOut:
    report = await _locked(session, report_id, principal, if_match, unit_step=True)
    now = utcnow()
    move(report, "acknowledge", now)
    await record_step(
        session, report=report, step="acknowledged", event_cls=ReportAcknowledged, at=now, note=data.note
    )
    return await reports.report_out(session, report=report)


async def return_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: ReasonIn
) -> ReportOut:
    """The unit says the report is not theirs: back to IOC triage, with a triage deadline again."""
    report = await _locked(session, report_id, principal, if_match, unit_step=True)
    now = utcnow()
    category = await categories.get_category(session, code=report.category_code)
    move(report, "return", now)
    await record_step(
        session,
        report=report,
        step="returned",
        event_cls=ReportReturned,
        at=now,
        note=data.reason,
        reason=data.reason,
    )
    calendar = await get_calendar(session, now=now)
    report.unit_id, report.overdue = None, False
    report.due_at, report.deadline_stage = (
        calendar.add_working_hours(now, category.acceptance_hours),
        "triage",
    )
    return await reports.report_out(session, report=report)


async def start_work(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: NoteIn
) -> ReportOut:
    report = await _locked(session, report_id, principal, if_match, unit_step=True)
    now = utcnow()
    move(report, "start", now)
    await record_step(
        session, report=report, step="in_progress", event_cls=ReportWorkStarted, at=now, note=data.note
    )
    return await reports.report_out(session, report=report)


async def resolve_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: ResolveIn
) -> ReportOut:
    """The unit resolved it; on time if before the (possibly extended) deadline (Art. 12.2)."""
    report = await _locked(session, report_id, principal, if_match, unit_step=True)
    now = utcnow()
    calendar = await get_calendar(session, now=now)
    move(report, "resolve", now)
    report.result, report.resolved_at, report.deadline_stage = data.result, now, None
    on_time = report.due_at is None or now <= report.due_at
    taken = calendar.working_hours_between(report.assigned_at or report.submitted_at, now)
    await record_step(
        session,
        report=report,
        step="resolved",
        event_cls=ReportResolved,
        at=now,
        note=data.result,
        result=data.result,
        on_time=on_time,
        working_hours_taken=taken,
    )
    return await reports.report_out(session, report=report)


async def publish_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: NoteIn
) -> ReportOut:
    """The IOC publishes the outcome: on the public feed when the reporter chose public (Art. 6.3)."""
    report = await _locked(session, report_id, principal, if_match, unit_step=False)
    now = utcnow()
    move(report, "publish", now)
    report.published_at = now
    await record_step(
        session, report=report, step="published", event_cls=ReportPublished, at=now, note=data.note,
        is_public=report.is_public,
    )  # fmt: skip
    return await reports.report_out(session, report=report)


async def close_report(
    session: AsyncSession, *, report_id: str, principal: Principal, if_match: str | None, data: NoteIn
) -> ReportOut:
    report = await _locked(session, report_id, principal, if_match, unit_step=False)
    await settle(session, report=report, at=utcnow(), step="close", note=data.note)
    return await reports.report_out(session, report=report)


async def settle(
    session: AsyncSession, *, report: Report, at: datetime, step: str, note: str | None = None
) -> None:
    """Close a published or rated report (by the IOC, a satisfied rating, or the end of the 7 days)."""
    move(report, step, at)
    report.closed_at, report.deadline_stage = at, None
    await record_step(session, report=report, step="closed", event_cls=ReportClosed, at=at, note=note)
