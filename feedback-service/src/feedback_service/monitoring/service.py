"""Public monitoring (Art. 6.3): the feed and map of published reports, and per-unit statistics kept
up to date from the report events (a read sums days; nothing is recomputed from the reports)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.deadlines.calendar import VIETNAM_TIME
from feedback_service.monitoring import repository
from feedback_service.monitoring.repository import FeedFilter
from feedback_service.monitoring.schemas import MapPointOut, PublicReportOut, UnitStatisticsOut
from feedback_service.reports import repository as reports_repository
from feedback_service.reports.models import Report
from feedback_service.reports.schemas import TimelineEntryOut
from feedback_service.units import service as units
from hues_shared.contracts.feedback import ReportAcknowledged, ReportAssigned, ReportRated, ReportResolved
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import NotFound

MAP_LIMIT = 1000


async def _public(session: AsyncSession, rows: list[Report]) -> list[PublicReportOut]:
    timelines: dict[str, list[TimelineEntryOut]] = defaultdict(list)
    for entry in await reports_repository.get_timelines(session, report_ids=[r.id for r in rows]):
        timelines[entry.report_id].append(TimelineEntryOut.model_validate(entry))
    names = await units.get_unit_names(session, unit_ids={r.unit_id for r in rows if r.unit_id})
    return [
        PublicReportOut(
            **{name: getattr(r, name) for name in PublicReportOut.model_fields if hasattr(r, name)},
            unit_name=names.get(r.unit_id or ""),
            timeline=timelines[r.id],
        )
        for r in rows
    ]


async def get_feed(
    session: AsyncSession, *, feed: FeedFilter, cursor: str | None, limit: int
) -> Page[PublicReportOut]:
    values = decode_cursor(cursor)
    after = (datetime.fromisoformat(values[0]), str(values[1])) if values else None
    rows = list(await repository.get_feed(session, feed=feed, after=after, limit=limit + 1))
    items = await _public(session, rows[:limit])
    next_cursor = None
    if len(rows) > limit and items[-1].published_at is not None:
        next_cursor = encode_cursor([items[-1].published_at.isoformat(), items[-1].id])
    return Page(items=items, next_cursor=next_cursor)


async def get_public_report(session: AsyncSession, *, report_id: str) -> PublicReportOut:
    report = await repository.get_public(session, report_id=report_id)
    if report is None:
        raise NotFound(f"No published public report {report_id}.")
    return (await _public(session, [report]))[0]


async def get_map(session: AsyncSession, *, feed: FeedFilter) -> list[MapPointOut]:
    rows = await repository.get_map_points(session, feed=feed, limit=MAP_LIMIT)
    return [MapPointOut.model_validate(row, from_attributes=True) for row in rows]


def _day(at: datetime) -> date:
    return at.astimezone(VIETNAM_TIME).date()


async def count_assignment(session: AsyncSession, *, event: ReportAssigned) -> None:
    """A unit received a report (first assignment, reassignment or transfer)."""
    if event.unit_id:
        await repository.add_to_day(session, unit_id=event.unit_id, day=_day(event.occurred_at), received=1)


async def count_acknowledgement(session: AsyncSession, *, event: ReportAcknowledged) -> None:
    if event.unit_id:
        await repository.add_to_day(session, unit_id=event.unit_id, day=_day(event.occurred_at), accepted=1)


async def count_resolution(session: AsyncSession, *, event: ReportResolved) -> None:
    if event.unit_id:
        await repository.add_to_day(
            session,
            unit_id=event.unit_id,
            day=_day(event.occurred_at),
            handled=1,
            handled_on_time=int(event.on_time),
            handling_hours_total=event.working_hours_taken,
        )


async def count_rating(session: AsyncSession, *, event: ReportRated) -> None:
    if event.unit_id:
        await repository.add_to_day(
            session,
            unit_id=event.unit_id,
            day=_day(event.occurred_at),
            rated=1,
            satisfied=int(event.satisfied),
        )


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


async def get_statistics(
    session: AsyncSession, *, first_day: date, last_day: date, unit_id: str | None = None
) -> list[UnitStatisticsOut]:
    """Per unit over any period of days: received, accepted, handled (on time), average working hours
    of handling, satisfaction (Art. 6.3)."""
    rows = await repository.get_totals(session, first_day=first_day, last_day=last_day, unit_id=unit_id)
    names = await units.get_unit_names(session, unit_ids={r.unit_id for r in rows})
    return [
        UnitStatisticsOut(
            unit_id=r.unit_id,
            unit_name=names.get(r.unit_id),
            received=int(r.received),
            accepted=int(r.accepted),
            handled=int(r.handled),
            handled_on_time=int(r.handled_on_time),
            on_time_rate=_ratio(r.handled_on_time, r.handled),
            average_handling_hours=_ratio(r.handling_hours_total, r.handled),
            rated=int(r.rated),
            satisfied=int(r.satisfied),
            satisfaction_rate=_ratio(r.satisfied, r.rated),
        )
        for r in rows
    ]


def statistics_csv(rows: list[UnitStatisticsOut]) -> str:
    """The statistics as CSV (UTF-8, header row) for the DIC's periodic reports (Art. 15.3)."""
    buffer = io.StringIO()
    fields = list(UnitStatisticsOut.model_fields)
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.model_dump().items()})
    return buffer.getvalue()
