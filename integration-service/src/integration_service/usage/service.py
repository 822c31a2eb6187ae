"""Daily usage per application (Art. 15.3): recorded from the gateway's batches, read by the owner and
the DIC, exportable as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal
from hues_shared.contracts.gateway import PartnerUsageRecorded
from hues_shared.problems import BadRequest
from hues_shared.types import utcnow
from integration_service.applications import repository as applications
from integration_service.applications.authorization import ensure_visible
from integration_service.usage import repository
from integration_service.usage.schemas import DailyUsageOut

MAX_DAYS = 366


async def record_batch(session: AsyncSession, *, event: PartnerUsageRecorded) -> None:
    """Add one gateway batch to the daily counts (idempotent through the consumer's inbox)."""
    day = event.window_end.date()
    for count in event.counts:
        await repository.add_requests(
            session, application_id=count.application_id, day=day, route=count.route, requests=count.requests
        )


def _window(since: date | None, until: date | None) -> tuple[date, date]:
    until = until or utcnow().date()
    since = since or until - timedelta(days=30)
    if since > until or (until - since).days > MAX_DAYS:
        raise BadRequest(f"Choose since <= until, at most {MAX_DAYS} days apart.", slug="invalid-period")
    return since, until


async def get_usage(
    session: AsyncSession,
    *,
    application_id: str | None,
    since: date | None,
    until: date | None,
    principal: Principal,
) -> list[DailyUsageOut]:
    """One application's usage (its owner or a reviewer), or every application's (reviewers, Art. 15.3)."""
    if application_id is not None:
        ensure_visible(principal, await applications.get(session, application_id=application_id))
    start, end = _window(since, until)
    rows = await repository.get_all(session, application_id=application_id, since=start, until=end)
    return [DailyUsageOut.model_validate(r) for r in rows]


def to_csv(rows: Sequence[DailyUsageOut]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "application_id", "route", "requests"])
    for row in rows:
        writer.writerow([row.day.isoformat(), row.application_id, row.route, row.requests])
    return out.getvalue()
