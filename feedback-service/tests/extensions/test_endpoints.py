"""Extension requests by the unit, approved or refused by the IOC (Art. 12.2)."""

from datetime import datetime

from feedback_service.deadlines.calendar import WorkingCalendar
from feedback_service.testing import FeedbackDriver
from hues_shared.contracts.feedback import ReportExtensionDecided, ReportExtensionRequested
from hues_shared.testing.events import outbox_events


async def _acknowledged(api: FeedbackDriver) -> tuple[str, str]:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    assert (await api.act(report["id"], "acknowledge", api.officer(unit_id))).status_code == 200
    return report["id"], unit_id


async def _ask(api: FeedbackDriver, rid: str, unit_id: str, hours: int = 16) -> dict:
    response = await api.client.post(
        f"/v1/reports/{rid}/extensions",
        json={"hours": hours, "reason": "Chờ vật tư"},
        headers=api.officer(unit_id),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_approved_extension_moves_the_deadline_by_working_hours(api: FeedbackDriver) -> None:
    rid, unit_id = await _acknowledged(api)
    before = datetime.fromisoformat(
        (await api.client.get(f"/v1/reports/{rid}", headers=api.ioc())).json()["due_at"]
    )
    extension = await _ask(api, rid, unit_id, hours=16)
    etag = await api.etag(rid, api.ioc())
    response = await api.client.post(
        f"/v1/reports/{rid}/extensions/{extension['id']}/approve",
        json={},
        headers={**api.ioc(), "If-Match": etag},
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    after = datetime.fromisoformat(
        (await api.client.get(f"/v1/reports/{rid}", headers=api.ioc())).json()["due_at"]
    )
    calendar = WorkingCalendar.vietnam([before.year - 1, before.year, before.year + 1, before.year + 2])
    assert after == calendar.add_working_hours(before, 16)
    [requested] = await outbox_events(api.service.runtime, ReportExtensionRequested)
    [decided] = await outbox_events(api.service.runtime, ReportExtensionDecided)
    assert requested.recipient_account_ids == [] and decided.approved and decided.due_at == after


async def test_refused_extension_keeps_the_deadline(api: FeedbackDriver) -> None:
    rid, unit_id = await _acknowledged(api)
    before = (await api.client.get(f"/v1/reports/{rid}", headers=api.ioc())).json()["due_at"]
    extension = await _ask(api, rid, unit_id)
    response = await api.client.post(
        f"/v1/reports/{rid}/extensions/{extension['id']}/refuse",
        json={"note": "Không đủ căn cứ"},
        headers={**api.ioc(), "If-Match": await api.etag(rid, api.ioc())},
    )
    assert response.json()["status"] == "refused"
    assert (await api.client.get(f"/v1/reports/{rid}", headers=api.ioc())).json()["due_at"] == before


async def test_only_one_pending_request_at_a_time(api: FeedbackDriver) -> None:
    rid, unit_id = await _acknowledged(api)
    await _ask(api, rid, unit_id)
    second = await api.client.post(
        f"/v1/reports/{rid}/extensions", json={"hours": 8, "reason": "Thêm nữa"}, headers=api.officer(unit_id)
    )
    assert second.status_code == 409


async def test_officer_of_another_unit_cannot_ask_for_an_extension(api: FeedbackDriver) -> None:
    rid, _ = await _acknowledged(api)
    other_unit = await api.add_unit()
    response = await api.client.post(
        f"/v1/reports/{rid}/extensions",
        json={"hours": 8, "reason": "Xin thêm"},
        headers=api.officer(other_unit),
    )
    assert response.status_code == 404


async def test_the_unit_cannot_approve_its_own_extension(api: FeedbackDriver) -> None:
    rid, unit_id = await _acknowledged(api)
    extension = await _ask(api, rid, unit_id)
    response = await api.client.post(
        f"/v1/reports/{rid}/extensions/{extension['id']}/approve",
        json={},
        headers={**api.officer(unit_id), "If-Match": "*"},
    )
    assert response.status_code == 403


async def test_a_decided_request_cannot_be_decided_again(api: FeedbackDriver) -> None:
    rid, unit_id = await _acknowledged(api)
    extension = await _ask(api, rid, unit_id)
    url = f"/v1/reports/{rid}/extensions/{extension['id']}"
    await api.client.post(f"{url}/refuse", json={}, headers={**api.ioc(), "If-Match": "*"})
    again = await api.client.post(f"{url}/approve", json={}, headers={**api.ioc(), "If-Match": "*"})
    assert again.status_code == 409


async def test_the_ioc_sees_pending_requests_in_its_queue(api: FeedbackDriver) -> None:
    rid, unit_id = await _acknowledged(api)
    extension = await _ask(api, rid, unit_id)
    queue = await api.client.get("/v1/extensions", headers=api.ioc())
    assert [e["id"] for e in queue.json()] == [extension["id"]]
    await api.client.post(
        f"/v1/reports/{rid}/extensions/{extension['id']}/refuse",
        json={},
        headers={**api.ioc(), "If-Match": "*"},
    )
    assert (await api.client.get("/v1/extensions", headers=api.ioc())).json() == []


async def test_officers_do_not_see_the_iocs_queue(api: FeedbackDriver) -> None:
    rid, unit_id = await _acknowledged(api)
    await _ask(api, rid, unit_id)
    assert (await api.client.get("/v1/extensions", headers=api.officer(unit_id))).status_code == 403
