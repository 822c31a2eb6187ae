"""Submitting and reading reports (Art. 6.3); reporter hidden from units; tenancy (Art. 13.1)."""

import uuid
from datetime import datetime

from feedback_service.reports import repository
from feedback_service.testing import PHU_XUAN, VY_DA, FeedbackDriver, report_body
from hues_shared.contracts.feedback import ReportSubmitted, UrgentReportRaised
from hues_shared.permissions import AUDIT_READ
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer


async def test_verified_citizen_submits_a_report_waiting_for_triage(api: FeedbackDriver) -> None:
    report = await api.submit()
    assert report["status"] == "submitted"
    assert report["deadline_stage"] == "triage"
    assert datetime.fromisoformat(report["due_at"]) > datetime.fromisoformat(report["submitted_at"])
    assert [e["step"] for e in report["timeline"]] == ["submitted"]


async def test_submitted_event_carries_the_reporter_as_recipient_and_no_description(
    api: FeedbackDriver,
) -> None:
    account_id = str(uuid.uuid4())
    report = await api.submit(api.citizen(account_id))
    [event] = await outbox_events(api.service.runtime, ReportSubmitted)
    assert event.report_id == report["id"]
    assert event.recipient_account_ids == [account_id]
    assert event.public_title == report["title"] and event.status == "submitted"
    assert "description" not in event.model_dump()


async def test_description_over_4000_characters_is_refused(api: FeedbackDriver) -> None:
    response = await api.client.post(
        "/v1/reports", json=report_body(description="x" * 4001), headers=api.citizen()
    )
    assert response.status_code == 422
    assert any(e["field"] == "description" for e in response.json()["errors"])


async def test_location_outside_hue_is_refused(api: FeedbackDriver) -> None:
    hanoi = report_body(latitude=21.0278, longitude=105.8342)
    response = await api.client.post("/v1/reports", json=hanoi, headers=api.citizen())
    assert response.status_code == 422
    assert "Huế" in response.text


async def test_unknown_ward_is_refused(api: FeedbackDriver) -> None:
    response = await api.client.post(
        "/v1/reports", json=report_body(ward_code="00001"), headers=api.citizen()
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/unknown-ward")


async def test_unknown_category_is_refused(api: FeedbackDriver) -> None:
    response = await api.client.post(
        "/v1/reports", json=report_body(category_code="ufo"), headers=api.citizen()
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/unknown-category")


async def test_unknown_fields_are_refused(api: FeedbackDriver) -> None:
    response = await api.client.post("/v1/reports", json=report_body(status="closed"), headers=api.citizen())
    assert response.status_code == 422


async def test_retry_with_the_same_idempotency_key_returns_the_first_report(api: FeedbackDriver) -> None:
    headers = {**api.citizen(), "Idempotency-Key": "flaky-network-1"}
    first = await api.client.post("/v1/reports", json=report_body(), headers=headers)
    again = await api.client.post("/v1/reports", json=report_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    mine = await api.client.get("/v1/reports/mine", headers=headers)
    assert len(mine.json()["items"]) == 1


async def test_staff_cannot_submit_reports(api: FeedbackDriver) -> None:
    response = await api.client.post("/v1/reports", json=report_body(), headers=api.ioc())
    assert response.status_code == 403


async def test_anonymous_cannot_submit(api: FeedbackDriver) -> None:
    response = await api.client.post("/v1/reports", json=report_body())
    assert response.status_code == 401


async def test_routing_rule_for_category_and_ward_suggests_the_unit(api: FeedbackDriver) -> None:
    ward_unit = await api.add_unit(ward_code=PHU_XUAN)
    city_unit = await api.add_unit(ward_code=None)
    for ward, unit in ((PHU_XUAN, ward_unit), (None, city_unit)):
        await api.client.put(
            "/v1/categories/trees/routing-rules", json={"ward_code": ward, "unit_id": unit}, headers=api.ioc()
        )
    in_ward = await api.submit(category_code="trees", ward_code=PHU_XUAN)
    elsewhere = await api.submit(category_code="trees", ward_code=VY_DA)
    assert in_ward["suggested_unit_id"] == ward_unit
    assert elsewhere["suggested_unit_id"] == city_unit  # the city-wide fallback


async def test_without_a_routing_rule_the_report_waits_for_ioc_triage(api: FeedbackDriver) -> None:
    report = await api.submit(category_code="other")
    assert report["suggested_unit_id"] is None
    queue = await api.client.get("/v1/reports", params={"status": "submitted"}, headers=api.ioc())
    assert report["id"] in [r["id"] for r in queue.json()["items"]]


async def test_urgent_claim_alerts_the_wards_units(api: FeedbackDriver) -> None:
    ward_unit = await api.add_unit(ward_code=PHU_XUAN)
    await api.add_unit(ward_code=VY_DA)
    report = await api.submit(category_code="trees", urgent=True)
    assert report["urgent"] is True
    [alert] = await outbox_events(api.service.runtime, UrgentReportRaised)
    assert alert.report_id == report["id"] and alert.ward_unit_ids == [ward_unit]
    assert alert.recipient_account_ids == []


async def test_urgency_claim_is_kept_but_not_granted_where_the_category_has_no_urgent_track(
    api: FeedbackDriver,
) -> None:
    report = await api.submit(category_code="tourism", urgent=True)
    assert report["urgency_claimed"] is True and report["urgent"] is False
    assert await outbox_events(api.service.runtime, UrgentReportRaised) == []


async def test_citizen_cannot_read_someone_elses_private_report(api: FeedbackDriver) -> None:
    report = await api.submit(is_public=False)
    response = await api.client.get(f"/v1/reports/{report['id']}", headers=api.citizen())
    assert response.status_code == 404


async def test_reporter_reads_own_report_with_an_etag(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter, is_public=False)
    response = await api.client.get(f"/v1/reports/{report['id']}", headers=reporter)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{report["id"]}.1"'


async def test_my_reports_lists_only_mine(api: FeedbackDriver) -> None:
    me = api.citizen()
    mine = await api.submit(me)
    await api.submit()
    response = await api.client.get("/v1/reports/mine", headers=me)
    assert [r["id"] for r in response.json()["items"]] == [mine["id"]]


async def test_ioc_looks_up_the_reporter_and_the_look_is_audited(api: FeedbackDriver) -> None:
    account_id = str(uuid.uuid4())
    report = await api.submit(api.citizen(account_id))
    response = await api.client.get(
        f"/v1/reports/{report['id']}/reporter", params={"reason": "duplicate abuse check"}, headers=api.ioc()
    )
    assert response.status_code == 200
    assert response.json()["reporter_account_id"] == account_id
    async with api.service.runtime.db.sessions() as session:
        [lookup] = await repository.get_lookups(session, report_id=report["id"])
    assert lookup.reason == "duplicate abuse check"
    dic = bearer(api.keys.token(roles=["dic_admin"], kind="staff", permissions=[AUDIT_READ]))
    audit = await api.client.get(f"/v1/reports/{report['id']}/reporter-lookups", headers=dic)
    assert [entry["reason"] for entry in audit.json()] == ["duplicate abuse check"]


async def test_the_ioc_cannot_read_the_audit_of_its_own_looks(api: FeedbackDriver) -> None:
    report = await api.submit()
    response = await api.client.get(f"/v1/reports/{report['id']}/reporter-lookups", headers=api.ioc())
    assert response.status_code == 403


async def test_reporter_lookup_needs_a_reason(api: FeedbackDriver) -> None:
    report = await api.submit()
    response = await api.client.get(f"/v1/reports/{report['id']}/reporter", headers=api.ioc())
    assert response.status_code == 422


async def test_officer_cannot_look_up_the_reporter(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    response = await api.client.get(
        f"/v1/reports/{report['id']}/reporter",
        params={"reason": "curious officer"},
        headers=api.officer(unit_id),
    )
    assert response.status_code == 403
