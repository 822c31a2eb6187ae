"""Overdue marking and escalation (Art. 12.2); closing reports whose reopening window ended."""

from datetime import timedelta

from feedback_service.maintenance.tasks import run_maintenance_once
from feedback_service.reports.models import Report
from feedback_service.testing import FeedbackDriver
from hues_shared.contracts.feedback import ReportClosed, ReportDeadlinePassed, ReportResolved
from hues_shared.testing.events import outbox_events
from hues_shared.types import utcnow


async def _move(api: FeedbackDriver, report_id: str, **values: object) -> None:
    async with api.service.runtime.db.unit_of_work() as session:
        report = await session.get(Report, report_id)
        assert report is not None
        for name, value in values.items():
            setattr(report, name, value)


async def test_a_report_past_its_deadline_is_marked_overdue_and_escalated_once(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    await api.assigned_report(unit_id)  # on time: not marked
    await _move(api, report["id"], due_at=utcnow() - timedelta(minutes=1))
    assert await run_maintenance_once(api.service.runtime) == (1, 0)
    assert await run_maintenance_once(api.service.runtime) == (0, 0)
    [event] = await outbox_events(api.service.runtime, ReportDeadlinePassed)
    assert event.report_id == report["id"] and event.stage == "handling" and event.escalated_to == "ioc"
    assert event.unit_id == unit_id and event.recipient_account_ids == []
    listed = await api.client.get("/v1/reports", params={"overdue": "true"}, headers=api.ioc())
    assert [r["id"] for r in listed.json()["items"]] == [report["id"]]


async def test_a_report_waiting_for_triage_too_long_is_escalated(api: FeedbackDriver) -> None:
    report = await api.submit()
    await _move(api, report["id"], due_at=utcnow() - timedelta(seconds=1))
    await run_maintenance_once(api.service.runtime)
    [event] = await outbox_events(api.service.runtime, ReportDeadlinePassed)
    assert event.stage == "triage"


async def test_resolving_late_counts_as_not_on_time(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    officer = api.officer(unit_id)
    await api.act(report["id"], "acknowledge", officer)
    await api.act(report["id"], "start", officer)
    await _move(api, report["id"], due_at=utcnow() - timedelta(hours=1))
    await api.act(report["id"], "resolve", officer, {"result": "Muộn nhưng xong"})
    [event] = await outbox_events(api.service.runtime, ReportResolved)
    assert event.on_time is False


async def test_published_reports_close_when_the_seven_days_end(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    officer = api.officer(unit_id)
    for step, body, who in (
        ("acknowledge", {}, officer),
        ("start", {}, officer),
        ("resolve", {"result": "Xong"}, officer),
        ("publish", {}, api.ioc()),
    ):
        await api.act(report["id"], step, who, body)
    assert await run_maintenance_once(api.service.runtime) == (0, 0)
    await _move(api, report["id"], published_at=utcnow() - timedelta(days=8))
    assert await run_maintenance_once(api.service.runtime) == (0, 1)
    [event] = await outbox_events(api.service.runtime, ReportClosed)
    assert event.report_id == report["id"]
