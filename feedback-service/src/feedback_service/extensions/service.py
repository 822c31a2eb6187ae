"""Extensions: the handling unit asks for more working hours; the IOC approves or refuses (Art. 12.2)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.deadlines.service import get_calendar
from feedback_service.extensions import repository
from feedback_service.extensions.models import ExtensionRequest
from feedback_service.extensions.schemas import DecisionIn, ExtensionIn, ExtensionOut
from feedback_service.reports import repository as reports_repository
from feedback_service.reports import service as reports
from feedback_service.reports.authorization import ensure_handling_officer, ensure_triage
from feedback_service.reports.history import record_step
from feedback_service.workflow.transitions import EXTENDABLE
from hues_shared.auth.principal import Principal
from hues_shared.contracts.feedback import ReportExtensionDecided, ReportExtensionRequested
from hues_shared.problems import Conflict, NotFound
from hues_shared.types import utcnow


async def request_extension(
    session: AsyncSession, *, report_id: str, principal: Principal, data: ExtensionIn
) -> ExtensionOut:
    """One pending request at a time, while the unit handles the report."""
    report = await reports_repository.get_for_update(session, report_id=report_id)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    await reports.get_visible_report(session, report_id=report_id, principal=principal)
    ensure_handling_officer(principal, report)
    if report.status not in EXTENDABLE or report.unit_id is None:
        raise Conflict(
            f"A report that is {report.status} has no handling deadline to extend.", slug="not-extendable"
        )
    if await repository.get_pending(session, report_id=report_id) is not None:
        raise Conflict("An extension request is already waiting for the IOC.", slug="extension-pending")
    now = utcnow()
    request = await repository.create(
        session,
        request=ExtensionRequest(
            id=str(uuid.uuid4()),
            report_id=report.id,
            unit_id=report.unit_id,
            hours=data.hours,
            reason=data.reason,
            status="pending",
            requested_at=now,
        ),
    )
    await record_step(
        session,
        report=report,
        step="extension_requested",
        event_cls=ReportExtensionRequested,
        at=now,
        public=False,
        tell_reporter=False,
        extension_id=request.id,
        hours=request.hours,
        reason=request.reason,
    )
    return ExtensionOut.model_validate(request)


async def get_pending_extensions(session: AsyncSession, *, principal: Principal) -> list[ExtensionOut]:
    """Requests waiting for the IOC's decision (at most 200, oldest first)."""
    ensure_triage(principal)
    return [ExtensionOut.model_validate(r) for r in await repository.get_all_pending(session, limit=200)]


async def get_extensions(
    session: AsyncSession, *, report_id: str, principal: Principal
) -> list[ExtensionOut]:
    await reports.get_visible_report(session, report_id=report_id, principal=principal)
    return [ExtensionOut.model_validate(r) for r in await repository.get_all(session, report_id=report_id)]


async def decide_extension(
    session: AsyncSession,
    *,
    report_id: str,
    extension_id: str,
    principal: Principal,
    if_match: str | None,
    approved: bool,
    data: DecisionIn,
) -> ExtensionOut:
    """Approval moves the deadline by the hours asked, counted in working hours from the old deadline."""
    ensure_triage(principal)
    report = await reports.get_report_for_update(
        session, report_id=report_id, principal=principal, if_match=if_match
    )
    request = await repository.get(session, report_id=report_id, extension_id=extension_id)
    if request is None:
        raise NotFound(f"No extension request {extension_id} on this report.")
    if request.status != "pending":
        raise Conflict(f"The request was already {request.status}.", slug="extension-decided")
    now = utcnow()
    request.status, request.decided_at = ("approved" if approved else "refused"), now
    if approved and report.due_at is not None and report.deadline_stage == "handling":
        calendar = await get_calendar(session, now=now)
        report.due_at = calendar.add_working_hours(report.due_at, request.hours)
        report.overdue = report.due_at < now
    report.version += 1
    report.updated_at = now
    await record_step(
        session,
        report=report,
        step="extension_approved" if approved else "extension_refused",
        event_cls=ReportExtensionDecided,
        at=now,
        note=data.note,
        public=approved,
        tell_reporter=False,
        extension_id=request.id,
        approved=approved,
        due_at=report.due_at or now,
    )
    return ExtensionOut.model_validate(request)
