"""Periodic work: mark overdue reports and escalate them (Art. 12.2); close reports whose 7 days ended."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from feedback_service.config import FeedbackSettings
from feedback_service.deadlines.service import mark_overdue_reports
from feedback_service.ratings.service import settle_reports
from hues_shared.app import ServiceRuntime
from hues_shared.types import utcnow

logger = logging.getLogger(__name__)
TASK_KEY = "feedback.maintenance"


async def run_maintenance_once(runtime: ServiceRuntime) -> tuple[int, int]:
    """One round, each sweep in its own unit of work; returns (marked overdue, closed)."""
    settings = runtime.settings
    assert isinstance(settings, FeedbackSettings)
    async with runtime.db.unit_of_work() as session:
        overdue = await mark_overdue_reports(session, now=utcnow())
    async with runtime.db.unit_of_work() as session:
        closed = await settle_reports(session, now=utcnow(), window_days=settings.reopen_window_days)
    return overdue, closed


async def _loop(runtime: ServiceRuntime, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await run_maintenance_once(runtime)
        except Exception:
            logger.exception("feedback maintenance round failed; retrying next round")


async def start_maintenance(runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    assert isinstance(settings, FeedbackSettings)
    interval = settings.maintenance_interval_seconds
    runtime.extras[TASK_KEY] = asyncio.create_task(_loop(runtime, interval), name="feedback-maintenance")


async def stop_maintenance(runtime: ServiceRuntime) -> None:
    task = runtime.extras.pop(TASK_KEY, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
