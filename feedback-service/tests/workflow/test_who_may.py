"""Every workflow step refuses whoever may not take it (Art. 13.1; issue 11: each transition and who may)."""

from typing import Any

import pytest

from feedback_service.testing import FeedbackDriver
from hues_shared.contracts.feedback import UrgentReportRaised
from hues_shared.testing.events import outbox_events

TRIAGE_STEPS = {
    "accept": {},
    "reject": {"reason": "Không hợp lệ"},
    "assign": {"unit_id": "x"},
    "transfer": {"unit_id": "x", "reason": "Đúng thẩm quyền"},
    "publish": {},
    "close": {},
    "merge": {"into_report_id": "x"},
}
UNIT_STEPS = {
    "acknowledge": {},
    "return": {"reason": "Không phải của chúng tôi"},
    "start": {},
    "resolve": {"result": "Đã xử lý"},
}


async def _assigned(api: FeedbackDriver) -> tuple[dict[str, Any], dict[str, str], str]:
    unit_id = await api.add_unit()
    report, reporter = await api.assigned_report(unit_id)
    return report, reporter, unit_id


@pytest.mark.parametrize("step", sorted(TRIAGE_STEPS))
async def test_the_units_officer_cannot_take_an_ioc_step(api: FeedbackDriver, step: str) -> None:
    report, _, unit_id = await _assigned(api)
    response = await api.act(report["id"], step, api.officer(unit_id), TRIAGE_STEPS[step])
    assert response.status_code == 403


@pytest.mark.parametrize("step", sorted(TRIAGE_STEPS))
async def test_the_reporter_cannot_take_an_ioc_step(api: FeedbackDriver, step: str) -> None:
    report, reporter, _ = await _assigned(api)
    response = await api.act(report["id"], step, reporter, TRIAGE_STEPS[step])
    assert response.status_code == 403


@pytest.mark.parametrize("step", sorted(UNIT_STEPS))
async def test_an_officer_of_another_unit_cannot_take_a_unit_step(api: FeedbackDriver, step: str) -> None:
    report, _, _ = await _assigned(api)
    other = api.officer(await api.add_unit())
    response = await api.client.post(
        f"/v1/reports/{report['id']}/{step}",
        json=UNIT_STEPS[step],
        headers={**other, "If-Match": await api.etag(report["id"], api.ioc())},
    )
    assert response.status_code == 404  # the report's existence is not disclosed


@pytest.mark.parametrize("step", sorted(UNIT_STEPS))
async def test_the_ioc_does_not_take_the_units_steps(api: FeedbackDriver, step: str) -> None:
    report, _, _ = await _assigned(api)
    response = await api.act(report["id"], step, api.ioc(), UNIT_STEPS[step])
    assert response.status_code == 403


@pytest.mark.parametrize("step", ["rate", "reopen"])
async def test_the_handling_officer_cannot_rate_or_reopen(api: FeedbackDriver, step: str) -> None:
    report, _, unit_id = await _assigned(api)
    body = {"satisfied": True, "score": 5} if step == "rate" else {"reason": "Chưa xong"}
    response = await api.client.post(
        f"/v1/reports/{report['id']}/{step}", json=body, headers=api.officer(unit_id)
    )
    assert response.status_code == 403


async def test_ioc_marking_a_report_urgent_alerts_the_ward(api: FeedbackDriver) -> None:
    ward_unit = await api.add_unit()
    report = await api.submit(category_code="trees")
    accepted = await api.act(report["id"], "accept", api.ioc(), {"urgent": True})
    assert accepted.json()["urgent"] is True
    [alert] = await outbox_events(api.service.runtime, UrgentReportRaised)
    assert alert.ward_unit_ids == [ward_unit]


async def test_an_accepted_report_without_a_unit_keeps_its_triage_deadline(api: FeedbackDriver) -> None:
    report = await api.submit(category_code="other")
    accepted = (await api.act(report["id"], "accept", api.ioc())).json()
    assert accepted["deadline_stage"] == "triage" and accepted["due_at"] == report["due_at"]
