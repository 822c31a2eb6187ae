"""The working calendar in force: Vietnam's holidays from the `holidays` package plus the IOC's overrides."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.deadlines import repository
from feedback_service.deadlines.calendar import VIETNAM_TIME, WorkingCalendar
from feedback_service.deadlines.models import CalendarOverride
from feedback_service.deadlines.schemas import CalendarOverrideIn, CalendarOverrideOut
from feedback_service.reports import repository as reports_repository
from feedback_service.reports.history import record_step
from hues_shared.contracts.feedback import ReportDeadlinePassed
from hues_shared.problems import NotFound


@lru_cache(maxsize=32)
def _calendar(
    years: tuple[int, ...], holidays: tuple[date, ...], working_days: tuple[date, ...]
) -> WorkingCalendar:
    return WorkingCalendar.vietnam(years, extra_holidays=holidays, extra_working_days=working_days)


async def get_calendar(session: AsyncSession, *, now: datetime) -> WorkingCalendar:
    """The calendar around `now` (last year to two years ahead, enough for any deadline and statistic)."""
    overrides = await repository.get_all(session)
    year = now.astimezone(VIETNAM_TIME).year
    return _calendar(
        (year - 1, year, year + 1, year + 2),
        tuple(o.day for o in overrides if o.kind == "holiday"),
        tuple(o.day for o in overrides if o.kind == "working_day"),
    )


async def get_overrides(session: AsyncSession) -> list[CalendarOverrideOut]:
    return [CalendarOverrideOut.model_validate(o) for o in await repository.get_all(session)]


async def put_override(session: AsyncSession, *, day: date, data: CalendarOverrideIn) -> CalendarOverrideOut:
    """Declare `day` a holiday or a working day (a government decision the package does not know yet)."""
    override = await repository.get(session, day=day)
    if override is None:
        override = await repository.create(
            session, override=CalendarOverride(day=day, kind=data.kind, name=data.name)
        )
    else:
        override.kind, override.name = data.kind, data.name
    return CalendarOverrideOut.model_validate(override)


async def delete_override(session: AsyncSession, *, day: date) -> None:
    if not await repository.delete(session, day=day):
        raise NotFound(f"No override on {day.isoformat()}.")


async def mark_overdue_reports(session: AsyncSession, *, now: datetime, limit: int = 500) -> int:
    """Mark reports past their deadline and escalate each to the IOC with one event (Art. 12.2).

    Rows are locked with SKIP LOCKED so several replicas sweep without doing the same report twice.
    """
    rows = await reports_repository.get_overdue_candidates(session, now=now, limit=limit)
    for report in rows:
        report.overdue = True
        await record_step(
            session,
            report=report,
            step="overdue",
            event_cls=ReportDeadlinePassed,
            at=now,
            tell_reporter=False,
            stage=report.deadline_stage or "handling",
            due_at=report.due_at or now,
        )
    return len(rows)
