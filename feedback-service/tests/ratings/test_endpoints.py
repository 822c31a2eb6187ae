"""Rating (Art. 16.3) and reopening once within 7 days when unsatisfied."""

from datetime import timedelta
from typing import Any

from feedback_service.reports.models import Report
from feedback_service.testing import FeedbackDriver
from hues_shared.types import utcnow


async def _published(api: FeedbackDriver) -> tuple[dict[str, Any], dict[str, str], str]:
    unit_id = await api.add_unit()
    report, reporter = await api.assigned_report(unit_id)
    officer = api.officer(unit_id)
    for step, body, who in (
        ("acknowledge", {}, officer),
        ("start", {}, officer),
        ("resolve", {"result": "Đã xử lý"}, officer),
        ("publish", {}, api.ioc()),
    ):
        assert (await api.act(report["id"], step, who, body)).status_code == 200
    return report, reporter, unit_id


async def test_unsatisfied_reporter_reopens_and_the_same_unit_handles_again(api: FeedbackDriver) -> None:
    report, reporter, unit_id = await _published(api)
    rid = report["id"]
    rated = await api.client.post(
        f"/v1/reports/{rid}/rate", json={"satisfied": False, "score": 2}, headers=reporter
    )
    assert rated.json()["status"] == "rated"
    reopened = await api.client.post(
        f"/v1/reports/{rid}/reopen", json={"reason": "Vẫn còn ổ gà"}, headers=reporter
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "reopened" and reopened.json()["unit_id"] == unit_id
    started = await api.act(rid, "start", api.officer(unit_id))
    assert started.json()["status"] == "in_progress"


async def test_a_report_reopens_only_once(api: FeedbackDriver) -> None:
    report, reporter, unit_id = await _published(api)
    rid = report["id"]
    await api.client.post(f"/v1/reports/{rid}/rate", json={"satisfied": False, "score": 1}, headers=reporter)
    await api.client.post(f"/v1/reports/{rid}/reopen", json={"reason": "Chưa xong"}, headers=reporter)
    officer = api.officer(unit_id)
    await api.act(rid, "start", officer)
    await api.act(rid, "resolve", officer, {"result": "Làm lại"})
    await api.act(rid, "publish", api.ioc())
    await api.client.post(f"/v1/reports/{rid}/rate", json={"satisfied": False, "score": 1}, headers=reporter)
    again = await api.client.post(f"/v1/reports/{rid}/reopen", json={"reason": "Lần nữa"}, headers=reporter)
    assert again.status_code == 409


async def test_reopening_after_seven_days_is_refused(api: FeedbackDriver) -> None:
    report, reporter, _ = await _published(api)
    rid = report["id"]
    await api.client.post(f"/v1/reports/{rid}/rate", json={"satisfied": False, "score": 1}, headers=reporter)
    async with api.service.runtime.db.unit_of_work() as session:
        row = await session.get(Report, rid)
        assert row is not None
        row.published_at = utcnow() - timedelta(days=8)
    late = await api.client.post(f"/v1/reports/{rid}/reopen", json={"reason": "Muộn"}, headers=reporter)
    assert late.status_code == 409
    assert late.json()["type"].endswith("/reopen-too-late")


async def test_a_satisfied_rating_closes_and_cannot_be_reopened(api: FeedbackDriver) -> None:
    report, reporter, _ = await _published(api)
    rid = report["id"]
    await api.client.post(f"/v1/reports/{rid}/rate", json={"satisfied": True, "score": 4}, headers=reporter)
    response = await api.client.post(f"/v1/reports/{rid}/reopen", json={"reason": "Đổi ý"}, headers=reporter)
    assert response.status_code == 409


async def test_only_the_reporter_rates(api: FeedbackDriver) -> None:
    report, _, _ = await _published(api)
    response = await api.client.post(
        f"/v1/reports/{report['id']}/rate", json={"satisfied": True, "score": 5}, headers=api.citizen()
    )
    assert response.status_code == 404


async def test_rating_before_publication_is_409(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, reporter = await api.assigned_report(unit_id)
    response = await api.client.post(
        f"/v1/reports/{report['id']}/rate", json={"satisfied": True, "score": 5}, headers=reporter
    )
    assert response.status_code == 409


async def test_score_outside_one_to_five_is_refused(api: FeedbackDriver) -> None:
    report, reporter, _ = await _published(api)
    response = await api.client.post(
        f"/v1/reports/{report['id']}/rate", json={"satisfied": True, "score": 6}, headers=reporter
    )
    assert response.status_code == 422
