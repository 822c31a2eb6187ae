"""Public monitoring routes (Art. 6.3): feed, map, one report, per-unit statistics; CSV for the DIC."""

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from feedback_service.deadlines.calendar import VIETNAM_TIME
from feedback_service.monitoring import service
from feedback_service.monitoring.repository import FeedFilter
from feedback_service.monitoring.schemas import MapPointOut, PublicReportOut, UnitStatisticsOut
from hues_shared.app import DbSession
from hues_shared.auth.principal import Principal, require_permission
from hues_shared.contracts.feedback import ReportStatus
from hues_shared.pagination import Page, PageParams, page_params
from hues_shared.permissions import STATISTICS_EXPORT
from hues_shared.problems import BadRequest

router = APIRouter(prefix="/v1/public", tags=["public monitoring"])
statistics_router = APIRouter(prefix="/v1/statistics", tags=["public monitoring"])
MAX_PERIOD_DAYS = 3660


def feed_filter(
    bbox: Annotated[
        str | None,
        Query(description="south,west,north,east in degrees", examples=["16.40,107.50,16.50,107.65"]),
    ] = None,
    ward_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    category_code: str | None = None,
    status: ReportStatus | None = None,
    published_from: datetime | None = None,
    published_to: datetime | None = None,
) -> FeedFilter:
    box = None
    if bbox is not None:
        try:
            south, west, north, east = (float(part) for part in bbox.split(","))
        except ValueError as exc:
            raise BadRequest("bbox is south,west,north,east: four numbers.", slug="invalid-bbox") from exc
        if south > north or west > east:
            raise BadRequest("bbox: south must not exceed north, nor west east.", slug="invalid-bbox")
        box = (south, west, north, east)
    return FeedFilter(box, ward_code, category_code, status, published_from, published_to)


Feed = Annotated[FeedFilter, Depends(feed_filter)]


@router.get("/reports", summary="Public feed of published reports")
async def get_feed(
    session: DbSession, feed: Feed, page: Annotated[PageParams, Depends(page_params)]
) -> Page[PublicReportOut]:
    """Published public reports, newest first, each with its timeline and outcome; no personal data."""
    return await service.get_feed(session, feed=feed, cursor=page.cursor, limit=page.limit)


@router.get("/reports/map", summary="Published reports as map points")
async def get_map(session: DbSession, feed: Feed) -> list[MapPointOut]:
    """At most 1,000 points, newest first; narrow the bounding box to see more."""
    return await service.get_map(session, feed=feed)


@router.get(
    "/reports/{report_id}", summary="One published report", responses={404: {"description": "Not public"}}
)
async def get_public_report(report_id: str, session: DbSession) -> PublicReportOut:
    return await service.get_public_report(session, report_id=report_id)


def _period(first_day: date | None, last_day: date | None) -> tuple[date, date]:
    today = datetime.now(VIETNAM_TIME).date()
    last = last_day or today
    first = first_day or last - timedelta(days=29)
    if first > last or (last - first).days > MAX_PERIOD_DAYS:
        raise BadRequest("The period must run forwards and span at most ten years.", slug="invalid-period")
    return first, last


@statistics_router.get("/units", summary="Per-unit handling statistics for a period")
async def get_statistics(
    session: DbSession,
    first_day: date | None = None,
    last_day: date | None = None,
    unit_id: str | None = None,
) -> list[UnitStatisticsOut]:
    """Received, accepted, handled, handled on time, average handling time in working hours and
    satisfaction, per unit, days counted in Vietnam time (default: the last 30 days; Art. 6.3)."""
    first, last = _period(first_day, last_day)
    return await service.get_statistics(session, first_day=first, last_day=last, unit_id=unit_id)


@statistics_router.get(
    "/units.csv",
    summary="Per-unit statistics as CSV (DIC)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, 403: {"description": "Needs feedback.statistics.export"}},
)
async def export_statistics(
    session: DbSession,
    _: Annotated[Principal, require_permission(STATISTICS_EXPORT)],
    first_day: date | None = None,
    last_day: date | None = None,
) -> Response:
    """The same figures as CSV for the DIC's periodic reports (Art. 15.3)."""
    first, last = _period(first_day, last_day)
    rows = await service.get_statistics(session, first_day=first, last_day=last)
    filename = f"feedback-units-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        service.statistics_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
