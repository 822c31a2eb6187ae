"""Deadlines per category and urgency, in working hours, with the IOC's calendar overrides (Art. 12.2)."""

from datetime import date, datetime, timedelta

from feedback_service.deadlines.calendar import VIETNAM_TIME, WorkingCalendar
from feedback_service.testing import FeedbackDriver
from hues_shared.contracts.feedback import ReportAssigned
from hues_shared.testing.events import outbox_events


def _calendar(around: datetime, **overrides: list[date]) -> WorkingCalendar:
    year = around.astimezone(VIETNAM_TIME).year
    return WorkingCalendar.vietnam([year - 1, year, year + 1, year + 2], **overrides)


async def test_urgent_report_gets_the_categorys_urgent_handling_deadline(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    await api.assigned_report(unit_id, category_code="trees", urgent=True)
    [assigned] = await outbox_events(api.service.runtime, ReportAssigned)
    assert assigned.urgent
    assert assigned.due_at == _calendar(assigned.occurred_at).add_working_hours(assigned.occurred_at, 4)


async def test_normal_report_gets_the_categorys_handling_deadline(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    await api.assigned_report(unit_id, category_code="construction")
    [assigned] = await outbox_events(api.service.runtime, ReportAssigned)
    assert assigned.due_at == _calendar(assigned.occurred_at).add_working_hours(assigned.occurred_at, 40)


async def test_ioc_declared_holidays_push_new_deadlines_back(api: FeedbackDriver) -> None:
    today = datetime.now(VIETNAM_TIME).date()
    days_off = [today + timedelta(days=i) for i in range(0, 12)]
    for day in days_off:
        response = await api.client.put(
            f"/v1/calendar/overrides/{day.isoformat()}",
            json={"kind": "holiday", "name": "Bão"},
            headers=api.ioc(),
        )
        assert response.status_code == 200, response.text
    report = await api.submit()
    due = datetime.fromisoformat(report["due_at"]).astimezone(VIETNAM_TIME).date()
    assert due > days_off[-1]
    listed = await api.client.get("/v1/calendar/overrides")
    assert len(listed.json()) == 12


async def test_citizen_cannot_change_the_calendar(api: FeedbackDriver) -> None:
    response = await api.client.put(
        "/v1/calendar/overrides/2026-12-24", json={"kind": "holiday", "name": "x"}, headers=api.citizen()
    )
    assert response.status_code == 403


async def test_removing_an_override(api: FeedbackDriver) -> None:
    url = "/v1/calendar/overrides/2026-12-26"
    await api.client.put(url, json={"kind": "working_day", "name": "Làm bù"}, headers=api.ioc())
    assert (await api.client.delete(url, headers=api.ioc())).status_code == 204
    assert (await api.client.delete(url, headers=api.ioc())).status_code == 404
