"""Duplicates: suggested before submitting and to triage; merge makes the reporter a follower."""

import uuid

from feedback_service.duplicates.geo import distance_metres
from feedback_service.testing import CITADEL, FeedbackDriver
from hues_shared.contracts.feedback import ReportMerged, ReportWorkStarted
from hues_shared.testing.events import outbox_events

NEARBY = (CITADEL[0] + 0.0005, CITADEL[1])  # about 55 m north
FAR = (CITADEL[0] + 0.01, CITADEL[1])  # about 1.1 km north


def test_distance_is_in_metres() -> None:
    assert 50 < distance_metres(*CITADEL, *NEARBY) < 60
    assert 1100 < distance_metres(*CITADEL, *FAR) < 1120


async def _suggest(api: FeedbackDriver, category: str, point: tuple[float, float]) -> list[dict]:
    response = await api.client.get(
        "/v1/reports/duplicates",
        params={"category_code": category, "latitude": point[0], "longitude": point[1]},
        headers=api.citizen(),
    )
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_citizen_sees_nearby_reports_of_the_same_category_before_submitting(
    api: FeedbackDriver,
) -> None:
    near = await api.submit(category_code="lighting")
    await api.submit(category_code="lighting", latitude=FAR[0], longitude=FAR[1])
    await api.submit(category_code="trees")
    suggestions = await _suggest(api, "lighting", NEARBY)
    assert [s["id"] for s in suggestions] == [near["id"]]
    assert 50 < suggestions[0]["distance_metres"] < 60


async def test_private_reports_are_not_suggested_to_citizens(api: FeedbackDriver) -> None:
    await api.submit(category_code="lighting", is_public=False)
    assert await _suggest(api, "lighting", NEARBY) == []


async def test_triage_sees_candidates_including_private_ones(api: FeedbackDriver) -> None:
    first = await api.submit(category_code="lighting", is_public=False)
    second = await api.submit(category_code="lighting", latitude=NEARBY[0], longitude=NEARBY[1])
    response = await api.client.get(f"/v1/reports/{second['id']}/duplicates", headers=api.ioc())
    assert [d["id"] for d in response.json()] == [first["id"]]


async def test_officer_cannot_list_duplicates(api: FeedbackDriver) -> None:
    report = await api.submit()
    response = await api.client.get(f"/v1/reports/{report['id']}/duplicates", headers=api.officer("u"))
    assert response.status_code == 403


async def test_merge_makes_the_duplicates_reporter_follow_and_hear_of_the_kept_report(
    api: FeedbackDriver,
) -> None:
    unit_id = await api.add_unit()
    kept, _ = await api.assigned_report(unit_id, category_code="lighting")
    follower_id = str(uuid.uuid4())
    follower = api.citizen(follower_id)
    duplicate = await api.submit(follower, category_code="lighting", latitude=NEARBY[0], longitude=NEARBY[1])
    merged = await api.act(duplicate["id"], "merge", api.ioc(), {"into_report_id": kept["id"]})
    assert merged.status_code == 200, merged.text
    assert merged.json()["status"] == "merged" and merged.json()["merged_into_id"] == kept["id"]
    [event] = await outbox_events(api.service.runtime, ReportMerged)
    assert event.into_report_id == kept["id"] and event.recipient_account_ids == [follower_id]
    assert (await api.client.get(f"/v1/reports/{kept['id']}", headers=follower)).status_code == 200
    officer = api.officer(unit_id)
    await api.act(kept["id"], "acknowledge", officer)
    await api.act(kept["id"], "start", officer)
    [started] = await outbox_events(api.service.runtime, ReportWorkStarted)
    assert follower_id in started.recipient_account_ids


async def test_merge_into_itself_is_refused(api: FeedbackDriver) -> None:
    report = await api.submit()
    response = await api.act(report["id"], "merge", api.ioc(), {"into_report_id": report["id"]})
    assert response.status_code == 422


async def test_merge_into_a_closed_report_is_refused(api: FeedbackDriver) -> None:
    rejected = await api.submit()
    await api.act(rejected["id"], "reject", api.ioc(), {"reason": "Trùng lặp"})
    duplicate = await api.submit()
    response = await api.act(duplicate["id"], "merge", api.ioc(), {"into_report_id": rejected["id"]})
    assert response.status_code == 409


async def test_citizen_cannot_merge(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    a, b = await api.submit(reporter), await api.submit(reporter)
    response = await api.act(a["id"], "merge", reporter, {"into_report_id": b["id"]})
    assert response.status_code == 403


async def test_citizen_follows_a_suggested_report_and_hears_of_it(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id, category_code="lighting")
    follower_id = str(uuid.uuid4())
    follower = api.citizen(follower_id)
    response = await api.client.post(f"/v1/reports/{report['id']}/followers", headers=follower)
    assert response.status_code == 204
    assert (
        await api.client.post(f"/v1/reports/{report['id']}/followers", headers=follower)
    ).status_code == 204
    await api.act(report["id"], "acknowledge", api.officer(unit_id))
    await api.act(report["id"], "start", api.officer(unit_id))
    [started] = await outbox_events(api.service.runtime, ReportWorkStarted)
    assert started.recipient_account_ids.count(follower_id) == 1
    assert (await api.client.get(f"/v1/reports/{report['id']}", headers=follower)).status_code == 200


async def test_a_private_report_cannot_be_followed(api: FeedbackDriver) -> None:
    report = await api.submit(is_public=False)
    response = await api.client.post(f"/v1/reports/{report['id']}/followers", headers=api.citizen())
    assert response.status_code == 404
