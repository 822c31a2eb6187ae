"""Authoring notices and CAP warnings: permissions, units, the second approver, Update/Cancel chains."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hues_shared.contracts.notification import NoticePublished
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from notification_service.testing import PHU_XUAN, UNIT_1, UNIT_2, World, alert_body

NOTICE = "notification.notice.publish"
ALERT = "notification.alert.publish"
EXTREME = {"severity": "Extreme", "urgency": "Immediate"}


async def test_an_officer_drafts_and_publishes_a_notice_of_their_unit(world: World) -> None:
    officer = world.staff(f"{NOTICE}@{UNIT_1}")
    draft = await world.draft_notice(officer, {"everyone": True})
    assert draft["status"] == "draft" and draft["unit_id"] == UNIT_1
    published = await world.publish(officer, draft["id"])
    assert published["status"] == "published"
    events = await outbox_events(world.service.runtime, NoticePublished)
    assert [e.notice_id for e in events] == [draft["id"]]


async def test_a_draft_is_in_nobodys_inbox(world: World) -> None:
    citizen = await world.citizen()
    await world.draft_notice(world.operator(), {"everyone": True})
    assert await world.broadcasts(citizen) == []


async def test_a_citizen_cannot_draft_a_notice(world: World) -> None:
    citizen = await world.citizen()
    response = await world.post("/v1/notices", citizen, {"topic": "city"})
    assert response.status_code == 403


async def test_an_officer_cannot_draft_for_another_unit(world: World) -> None:
    officer = world.staff(f"{NOTICE}@{UNIT_1}")
    body = {
        "unit_id": UNIT_2,
        "topic": "city",
        "title": {"vi": "a"},
        "body": {"vi": "b"},
        "target": {"everyone": True},
    }
    response = await world.post("/v1/notices", officer, body)
    assert response.status_code == 403 and response.json()["type"].endswith("outside-unit")


async def test_an_officer_of_another_unit_cannot_publish_or_read_the_draft(world: World) -> None:
    draft = await world.draft_notice(world.staff(f"{NOTICE}@{UNIT_1}"), {"everyone": True})
    other = world.staff(f"{NOTICE}@{UNIT_2}", unit=UNIT_2)
    assert (await world.post(f"/v1/notices/{draft['id']}/publish", other)).status_code == 403
    read = await world.service.client.get(f"/v1/notices/{draft['id']}", headers=bearer(other))
    assert read.status_code == 403


async def test_a_notice_publisher_cannot_draft_a_warning(world: World) -> None:
    officer = world.staff(f"{NOTICE}@{UNIT_1}")
    assert (await world.post("/v1/alerts", officer, alert_body({"everyone": True}))).status_code == 403


async def test_a_notice_publisher_cannot_publish_a_warning_draft(world: World) -> None:
    alert = await world.draft_alert(world.staff(f"{ALERT}@{UNIT_1}"), {"everyone": True})
    notice_only = world.staff(f"{NOTICE}@{UNIT_1}")
    assert (await world.post(f"/v1/notices/{alert['id']}/publish", notice_only)).status_code == 403


async def test_publishing_twice_is_a_conflict(world: World) -> None:
    operator = world.operator()
    draft = await world.draft_notice(operator, {"everyone": True})
    await world.publish(operator, draft["id"])
    assert (await world.post(f"/v1/notices/{draft['id']}/publish", operator)).status_code == 409


async def test_creating_a_notice_honours_the_idempotency_key(world: World) -> None:
    operator = world.operator()
    body = {"topic": "city", "title": {"vi": "a"}, "body": {"vi": "b"}, "target": {"everyone": True}}
    first = await world.post("/v1/notices", operator, body, **{"Idempotency-Key": "k-1"})
    second = await world.post("/v1/notices", operator, body, **{"Idempotency-Key": "k-1"})
    assert first.json()["id"] == second.json()["id"]
    assert second.headers.get("Idempotent-Replayed") == "true"


async def test_unknown_fields_are_refused(world: World) -> None:
    body = {"topic": "city", "title": {"vi": "a"}, "body": {"vi": "b"}, "target": {"everyone": True}, "x": 1}
    response = await world.post("/v1/notices", world.operator(), body)
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"


async def test_an_extreme_immediate_warning_needs_a_second_approver(world: World) -> None:
    author = world.staff(ALERT, unit=None, roles=("ioc_operator",))
    draft = await world.draft_alert(author, {"everyone": True}, **EXTREME)
    assert draft["needs_second_approval"] is True and draft["critical"] is True
    refused = await world.post(f"/v1/notices/{draft['id']}/publish", author)
    assert refused.status_code == 409 and refused.json()["type"].endswith("second-approval-required")
    approver = world.staff(ALERT, unit=None, roles=("ioc_operator",))
    assert (await world.post(f"/v1/notices/{draft['id']}/approve", approver)).status_code == 200
    assert (await world.publish(author, draft["id"]))["status"] == "published"


async def test_the_author_cannot_be_the_second_approver(world: World) -> None:
    author = world.operator()
    draft = await world.draft_alert(author, {"everyone": True}, **EXTREME)
    response = await world.post(f"/v1/notices/{draft['id']}/approve", author)
    assert response.status_code == 403 and response.json()["type"].endswith("author-cannot-approve")
    assert (await world.post(f"/v1/notices/{draft['id']}/publish", author)).status_code == 409


async def test_an_approver_of_another_unit_cannot_approve(world: World) -> None:
    draft = await world.draft_alert(world.staff(f"{ALERT}@{UNIT_1}"), {"everyone": True}, **EXTREME)
    other = world.staff(f"{ALERT}@{UNIT_2}", unit=UNIT_2)
    assert (await world.post(f"/v1/notices/{draft['id']}/approve", other)).status_code == 403


async def test_a_moderate_warning_needs_no_second_approver(world: World) -> None:
    published = await world.published_alert({"everyone": True})
    assert published["status"] == "published" and published["critical"] is False


async def test_an_update_supersedes_the_earlier_warning_and_keeps_its_audience(world: World) -> None:
    inside, elsewhere = await world.citizen(ward=PHU_XUAN), await world.citizen()
    first = await world.published_alert({"ward_codes": [PHU_XUAN]})
    update = await world.published_alert(None, msg_type="Update", references_notice_id=first["id"])
    assert update["references_notice_id"] == first["id"] and update["target"]["ward_codes"] == [PHU_XUAN]
    operator = world.operator()
    earlier = await world.service.client.get(f"/v1/notices/{first['id']}", headers=bearer(operator))
    assert earlier.json()["status"] == "superseded" and earlier.json()["superseded_by_id"] == update["id"]
    assert {i["id"] for i in await world.broadcasts(inside)} == {first["id"], update["id"]}
    assert await world.broadcasts(elsewhere) == []


async def test_a_cancel_references_the_warning_and_a_second_cancel_is_refused(world: World) -> None:
    first = await world.published_alert({"everyone": True})
    cancel = await world.published_alert(None, msg_type="Cancel", references_notice_id=first["id"])
    assert cancel["status"] == "cancelled"
    again = await world.post(
        "/v1/alerts", world.operator(), alert_body(None, msg_type="Cancel", references_notice_id=first["id"])
    )
    assert again.status_code == 409


async def test_an_update_must_reference_a_published_warning(world: World) -> None:
    operator = world.operator()
    draft = await world.draft_alert(operator, {"everyone": True})
    response = await world.post(
        "/v1/alerts", operator, alert_body(None, msg_type="Update", references_notice_id=draft["id"])
    )
    assert response.status_code == 422
    missing = await world.post("/v1/alerts", operator, alert_body(None, msg_type="Update"))
    assert missing.status_code == 422


async def test_a_warning_expiring_in_the_past_is_refused(world: World) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    response = await world.post(
        "/v1/alerts", world.operator(), alert_body({"everyone": True}, expires_at=past)
    )
    assert response.status_code == 422


async def test_statistics_are_for_the_author_and_the_dic_only(world: World) -> None:
    author = world.operator()
    draft = await world.draft_notice(author, {"everyone": True})
    await world.publish(author, draft["id"])
    path = f"/v1/notices/{draft['id']}/statistics"
    assert (await world.service.client.get(path, headers=bearer(author))).status_code == 200
    dic = world.staff(NOTICE, ALERT, unit=None, roles=("dic_admin",))
    assert (await world.service.client.get(path, headers=bearer(dic))).status_code == 200
    colleague = world.operator()
    assert (await world.service.client.get(path, headers=bearer(colleague))).status_code == 403
    citizen = await world.citizen()
    assert (await world.service.client.get(path, headers=bearer(citizen))).status_code == 403


async def test_statistics_count_targeted_and_opened(world: World) -> None:
    readers = [await world.citizen(ward=PHU_XUAN) for _ in range(3)]
    await world.citizen()
    author = world.operator()
    draft = await world.draft_notice(author, {"ward_codes": [PHU_XUAN]})
    await world.publish(author, draft["id"])
    response = await world.service.client.patch(
        f"/v1/inbox/{draft['id']}", json={"read": True}, headers=bearer(readers[0])
    )
    assert response.status_code == 200
    stats = (
        await world.service.client.get(f"/v1/notices/{draft['id']}/statistics", headers=bearer(author))
    ).json()
    assert stats["targeted"] == 3 and stats["opened"] == 1


async def test_staff_list_only_what_their_permissions_cover(world: World) -> None:
    mine = await world.draft_notice(world.staff(f"{NOTICE}@{UNIT_1}"), {"everyone": True})
    await world.draft_notice(world.staff(f"{NOTICE}@{UNIT_2}", unit=UNIT_2), {"everyone": True})
    warning = await world.draft_alert(world.operator(), {"everyone": True})
    colleague = world.staff(f"{NOTICE}@{UNIT_1}")
    listed = (await world.service.client.get("/v1/notices", headers=bearer(colleague))).json()["items"]
    assert [n["id"] for n in listed] == [mine["id"]]  # not unit 2's notice, not the warning
    operator = world.staff(ALERT, unit=None, roles=("ioc_operator",))
    listed = (await world.service.client.get("/v1/notices", headers=bearer(operator))).json()["items"]
    assert [n["id"] for n in listed] == [warning["id"]]
    citizen = await world.citizen()
    assert (await world.service.client.get("/v1/notices", headers=bearer(citizen))).status_code == 403


async def test_a_second_approver_finds_the_warnings_awaiting_approval(world: World) -> None:
    author = world.operator()
    waiting = await world.draft_alert(author, {"everyone": True}, **EXTREME)
    await world.draft_alert(author, {"everyone": True})  # Moderate: nothing to approve
    approver = world.operator()
    path = "/v1/notices?awaiting_approval=true&limit=1"
    page = (await world.service.client.get(path, headers=bearer(approver))).json()
    assert [n["id"] for n in page["items"]] == [waiting["id"]] and page["next_cursor"] is None
    await world.post(f"/v1/notices/{waiting['id']}/approve", approver)
    page = (await world.service.client.get(path, headers=bearer(approver))).json()
    assert page["items"] == []


async def _read(world: World, token: str, notice_id: str) -> tuple[dict, str]:
    response = await world.service.client.get(f"/v1/notices/{notice_id}", headers=bearer(token))
    assert response.status_code == 200
    return response.json(), response.headers["ETag"]


async def test_a_draft_is_edited_under_if_match(world: World) -> None:
    officer = world.staff(f"{NOTICE}@{UNIT_1}")
    draft = await world.draft_notice(officer, {"everyone": True})
    _, etag = await _read(world, officer, draft["id"])
    body = {
        "topic": "city",
        "title": {"vi": "Sửa"},
        "body": {"vi": "Mới"},
        "target": {"ward_codes": [PHU_XUAN]},
    }
    edited = await world.service.client.put(
        f"/v1/notices/{draft['id']}", json=body, headers={**bearer(officer), "If-Match": etag}
    )
    assert edited.status_code == 200 and edited.json()["title"]["vi"] == "Sửa"
    assert edited.headers["ETag"] != etag
    stale = await world.service.client.put(
        f"/v1/notices/{draft['id']}", json=body, headers={**bearer(officer), "If-Match": etag}
    )
    assert stale.status_code == 412
    missing = await world.service.client.put(f"/v1/notices/{draft['id']}", json=body, headers=bearer(officer))
    assert missing.status_code == 428


async def test_editing_an_approved_warning_withdraws_the_approval(world: World) -> None:
    author, approver = world.operator(), world.operator()
    draft = await world.draft_alert(author, {"everyone": True}, **EXTREME)
    await world.post(f"/v1/notices/{draft['id']}/approve", approver)
    _, etag = await _read(world, author, draft["id"])
    body = alert_body({"everyone": True}, **EXTREME, headline={"vi": "Nội dung khác"})
    edited = await world.service.client.put(
        f"/v1/alerts/{draft['id']}", json=body, headers={**bearer(author), "If-Match": etag}
    )
    assert edited.status_code == 200 and edited.json()["approved_by"] is None
    assert (await world.post(f"/v1/notices/{draft['id']}/publish", author)).status_code == 409


async def test_a_published_notice_or_another_units_draft_is_not_edited(world: World) -> None:
    officer = world.staff(f"{NOTICE}@{UNIT_1}")
    draft = await world.draft_notice(officer, {"everyone": True})
    _, etag = await _read(world, officer, draft["id"])
    body = {"topic": "city", "title": {"vi": "x"}, "body": {"vi": "y"}, "target": {"everyone": True}}
    other = world.staff(f"{NOTICE}@{UNIT_2}", unit=UNIT_2)
    refused = await world.service.client.put(
        f"/v1/notices/{draft['id']}", json=body, headers={**bearer(other), "If-Match": etag}
    )
    assert refused.status_code == 403
    await world.publish(officer, draft["id"])
    _, etag = await _read(world, officer, draft["id"])
    late = await world.service.client.put(
        f"/v1/notices/{draft['id']}", json=body, headers={**bearer(officer), "If-Match": etag}
    )
    assert late.status_code == 409
