"""The workflow: every transition, who may take it (Art. 13.1), ETag/If-Match, events and timeline."""

import uuid

from feedback_service.testing import PHU_XUAN, VY_DA, FeedbackDriver
from hues_shared.contracts.feedback import (
    ReportAccepted,
    ReportAcknowledged,
    ReportAssigned,
    ReportClosed,
    ReportPublished,
    ReportRated,
    ReportResolved,
    ReportReturned,
    ReportSubmitted,
    ReportWorkStarted,
)
from hues_shared.testing.events import outbox_events


async def test_whole_workflow_every_step_is_an_event_and_a_timeline_entry(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit(name="UBND phường Phú Xuân")
    account_id = str(uuid.uuid4())
    reporter = api.citizen(account_id)
    officer = api.officer(unit_id)
    report = await api.submit(reporter)
    rid = report["id"]
    accepted = await api.act(rid, "accept", api.ioc(), {"unit_id": unit_id})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "assigned" and accepted.json()["deadline_stage"] == "handling"
    for step, body, who in (
        ("acknowledge", {}, officer),
        ("start", {"note": "Đội duy tu đã đến hiện trường"}, officer),
        ("resolve", {"result": "Đã vá ổ gà"}, officer),
        ("publish", {}, api.ioc()),
    ):
        response = await api.act(rid, step, who, body)
        assert response.status_code == 200, (step, response.text)
    rated = await api.client.post(
        f"/v1/reports/{rid}/rate", json={"satisfied": True, "score": 5}, headers=reporter
    )
    assert rated.status_code == 200, rated.text
    final = rated.json()
    assert final["status"] == "closed"
    assert [e["step"] for e in final["timeline"]] == [
        "submitted", "accepted", "assigned", "acknowledged", "in_progress", "resolved", "published", "rated",
        "closed",
    ]  # fmt: skip
    assert final["timeline"][2]["unit_name"] == "UBND phường Phú Xuân"
    runtime = api.service.runtime
    for contract in (
        ReportSubmitted, ReportAccepted, ReportAssigned, ReportAcknowledged, ReportWorkStarted,
        ReportResolved, ReportPublished, ReportRated, ReportClosed,
    ):  # fmt: skip
        [event] = await outbox_events(runtime, contract)
        assert event.report_id == rid and event.recipient_account_ids == [account_id]
    [resolved] = await outbox_events(runtime, ReportResolved)
    assert resolved.unit_id == unit_id and resolved.on_time is True


async def test_accept_without_a_unit_or_rule_leaves_the_report_for_assignment(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report = await api.submit(category_code="other")  # no rule: the IOC decides
    accepted = await api.act(report["id"], "accept", api.ioc())
    assert accepted.json()["status"] == "accepted" and accepted.json()["unit_id"] is None
    assigned = await api.act(report["id"], "assign", api.ioc(), {"unit_id": unit_id})
    assert assigned.json()["status"] == "assigned" and assigned.json()["unit_id"] == unit_id


async def test_accept_follows_the_routing_rule(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit(ward_code=None)
    await api.client.put("/v1/categories/other/routing-rules", json={"unit_id": unit_id}, headers=api.ioc())
    report = await api.submit(category_code="other")
    accepted = await api.act(report["id"], "accept", api.ioc())
    assert accepted.json()["unit_id"] == unit_id


async def test_seeded_rule_sends_field_problems_to_the_wards_committee(api: FeedbackDriver) -> None:
    committee = await api.add_unit(ward_code=PHU_XUAN)
    await api.add_unit(ward_code=VY_DA)
    report = await api.submit(category_code="noise", ward_code=PHU_XUAN)
    assert report["suggested_unit_id"] == committee
    accepted = await api.act(report["id"], "accept", api.ioc())
    assert accepted.json()["unit_id"] == committee and accepted.json()["status"] == "assigned"


async def test_ward_committee_rule_without_a_known_committee_leaves_it_to_the_ioc(
    api: FeedbackDriver,
) -> None:
    report = await api.submit(category_code="noise", ward_code=VY_DA)
    assert report["suggested_unit_id"] is None


async def test_ioc_rejects_with_a_reason_the_reporter_reads(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter)
    rejected = await api.act(report["id"], "reject", api.ioc(), {"reason": "Không thuộc phạm vi"})
    assert rejected.status_code == 200
    seen = (await api.client.get(f"/v1/reports/{report['id']}", headers=reporter)).json()
    assert seen["status"] == "rejected" and seen["rejection_reason"] == "Không thuộc phạm vi"


async def test_citizen_cannot_accept(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter)
    response = await api.act(report["id"], "accept", reporter)
    assert response.status_code == 403


async def test_officer_cannot_take_the_iocs_steps(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    response = await api.act(
        report["id"], "transfer", api.officer(unit_id), {"unit_id": unit_id, "reason": "x" * 5}
    )
    assert response.status_code == 403


async def test_officer_of_another_unit_cannot_see_the_report(api: FeedbackDriver) -> None:
    unit_id, other_unit = await api.add_unit(), await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    response = await api.client.get(f"/v1/reports/{report['id']}", headers=api.officer(other_unit))
    assert response.status_code == 404


async def test_officer_of_another_unit_cannot_acknowledge(api: FeedbackDriver) -> None:
    unit_id, other_unit = await api.add_unit(), await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    etag = await api.etag(report["id"], api.ioc())
    response = await api.client.post(
        f"/v1/reports/{report['id']}/acknowledge",
        json={},
        headers={**api.officer(other_unit), "If-Match": etag},
    )
    assert response.status_code == 404
    assert (await api.client.get(f"/v1/reports/{report['id']}", headers=api.ioc())).json()[
        "status"
    ] == "assigned"


async def test_officer_whose_right_is_in_another_unit_is_refused_even_when_the_report_is_visible(
    api: FeedbackDriver,
) -> None:
    """An officer who is also the reporter sees the report, yet may not handle it outside their unit."""
    unit_id, other_unit = await api.add_unit(), await api.add_unit()
    officer_account = str(uuid.uuid4())
    as_reporter = api.citizen(officer_account)
    report = await api.submit(as_reporter)
    await api.act(report["id"], "accept", api.ioc(), {"unit_id": unit_id})
    token = api.keys.token(
        sub=officer_account,
        roles=["agency_officer", "citizen"],
        permissions=[f"feedback.report.process@{other_unit}"],
    )
    response = await api.act(report["id"], "acknowledge", {"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.json()["type"].endswith("/outside-unit")


async def test_officer_lists_only_the_reports_of_their_unit(api: FeedbackDriver) -> None:
    unit_id, other_unit = await api.add_unit(), await api.add_unit()
    mine, _ = await api.assigned_report(unit_id)
    await api.assigned_report(other_unit)
    response = await api.client.get("/v1/reports", headers=api.officer(unit_id))
    assert [r["id"] for r in response.json()["items"]] == [mine["id"]]


async def test_unit_sees_a_pseudonym_never_the_reporters_account(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    account_id = str(uuid.uuid4())
    report = await api.submit(api.citizen(account_id))
    await api.act(report["id"], "accept", api.ioc(), {"unit_id": unit_id})
    response = await api.client.get(f"/v1/reports/{report['id']}", headers=api.officer(unit_id))
    assert response.status_code == 200
    assert account_id not in response.text
    assert response.json()["reporter_pseudonym"].startswith("R-")


async def test_unit_returns_a_report_and_the_ioc_assigns_it_elsewhere(api: FeedbackDriver) -> None:
    unit_id, right_unit = await api.add_unit(), await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    returned = await api.act(report["id"], "return", api.officer(unit_id), {"reason": "Thuộc điện lực"})
    assert returned.json()["status"] == "returned" and returned.json()["deadline_stage"] == "triage"
    [event] = await outbox_events(api.service.runtime, ReportReturned)
    assert event.unit_id == unit_id
    reassigned = await api.act(report["id"], "assign", api.ioc(), {"unit_id": right_unit})
    assert reassigned.json()["unit_id"] == right_unit
    gone = await api.client.get(f"/v1/reports/{report['id']}", headers=api.officer(unit_id))
    assert gone.status_code == 404


async def test_ioc_transfers_between_units(api: FeedbackDriver) -> None:
    unit_id, other_unit = await api.add_unit(), await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    await api.act(report["id"], "acknowledge", api.officer(unit_id))
    moved = await api.act(
        report["id"], "transfer", api.ioc(), {"unit_id": other_unit, "reason": "Đúng thẩm quyền"}
    )
    assert moved.json()["status"] == "assigned" and moved.json()["unit_id"] == other_unit
    events = await outbox_events(api.service.runtime, ReportAssigned)
    assert events[-1].transferred_from_unit_id == unit_id


async def test_step_without_if_match_is_428(api: FeedbackDriver) -> None:
    report = await api.submit()
    response = await api.client.post(f"/v1/reports/{report['id']}/accept", json={}, headers=api.ioc())
    assert response.status_code == 428


async def test_step_on_a_stale_etag_is_412_and_changes_nothing(api: FeedbackDriver) -> None:
    report = await api.submit()
    stale = await api.etag(report["id"], api.ioc())
    await api.act(report["id"], "reject", api.ioc(), {"reason": "spam spam"})
    response = await api.client.post(
        f"/v1/reports/{report['id']}/accept", json={}, headers={**api.ioc(), "If-Match": stale}
    )
    assert response.status_code == 412
    assert (await api.client.get(f"/v1/reports/{report['id']}", headers=api.ioc())).json()[
        "status"
    ] == "rejected"


async def test_a_step_from_the_wrong_status_is_409(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    response = await api.act(report["id"], "resolve", api.officer(unit_id), {"result": "Xong rồi"})
    assert response.status_code == 409
    assert response.json()["type"].endswith("/invalid-transition")


async def test_unknown_fields_in_a_step_are_refused(api: FeedbackDriver) -> None:
    report = await api.submit()
    response = await api.act(report["id"], "accept", api.ioc(), {"unit": "x"})
    assert response.status_code == 422
