"""Every step of a report is an event and an entry of its public timeline, written together."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.db import tables
from feedback_service.reports import repository
from feedback_service.reports.models import Report, TimelineEntry
from hues_shared.contracts.feedback import ReportEvent
from hues_shared.events.outbox import record_event

E = TypeVar("E", bound=ReportEvent)


async def recipients_of(session: AsyncSession, *, report: Report) -> list[str]:
    """Who is told of a status change: the reporter and the followers (reporters of merged duplicates)."""
    followers = await repository.get_follower_ids(session, report_id=report.id)
    return [report.reporter_account_id, *[f for f in followers if f != report.reporter_account_id]]


async def record_step(
    session: AsyncSession,
    *,
    report: Report,
    step: str,
    event_cls: type[E],
    at: datetime,
    note: str | None = None,
    unit_name: str | None = None,
    tell_reporter: bool = True,
    public: bool = True,
    recipients: list[str] | None = None,
    **fields: Any,
) -> E:
    """Add the timeline entry (when public) and the event in the caller's unit of work.

    `recipients` may be given when known without a query (a new report has no followers yet).
    """
    if public:
        await repository.add_timeline_entry(
            session,
            entry=TimelineEntry(
                report_id=report.id, status=report.status, step=step, note=note, unit_name=unit_name, at=at
            ),
        )
    if "unit_name" in event_cls.model_fields:
        fields["unit_name"] = unit_name or ""
    event = event_cls(
        report_id=report.id,
        public_title=report.title,
        status=report.status,
        category_code=report.category_code,
        ward_code=report.ward_code,
        unit_id=report.unit_id,
        urgent=report.urgent,
        occurred_at=at,
        recipient_account_ids=(
            (recipients if recipients is not None else await recipients_of(session, report=report))
            if tell_reporter
            else []
        ),
        **fields,
    )
    await record_event(session, tables, event)
    return event
