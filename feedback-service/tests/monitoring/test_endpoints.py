"""Public monitoring (Art. 6.3): feed and map without personal data; statistics from events; CSV."""

import asyncio
import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from feedback_service.deadlines.calendar import VIETNAM_TIME
from feedback_service.testing import PHU_XUAN, VY_DA, FeedbackDriver
from hues_shared.contracts.feedback import ReportAcknowledged, ReportAssigned, ReportRated, ReportResolved
from hues_shared.events.outbox import envelope_for
from hues_shared.permissions import STATISTICS_EXPORT
from hues_shared.testing.tokens import bearer


async def _handled(
    api: FeedbackDriver, unit_id: str, reporter: dict[str, str] | None = None, **overrides: Any
) -> str:
    reporter = reporter or api.citizen()
    report = await api.submit(reporter, **overrides)
    officer = api.officer(unit_id)
    for step, body, who in (
        ("accept", {"unit_id": unit_id}, api.ioc()),
        ("acknowledge", {}, officer),
        ("start", {}, officer),
        ("resolve", {"result": "Đã xử lý xong"}, officer),
        ("publish", {}, api.ioc()),
    ):
        assert (await api.act(report["id"], step, who, body)).status_code == 200
    return str(report["id"])


async def test_feed_shows_published_public_reports_with_timeline_and_no_personal_data(
    api: FeedbackDriver,
) -> None:
    unit_id = await api.add_unit(name="UBND phường Phú Xuân")
    account_id = str(uuid.uuid4())
    rid = await _handled(api, unit_id, api.citizen(account_id))
    response = await api.client.get("/v1/public/reports")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert (
        item["id"] == rid
        and item["result"] == "Đã xử lý xong"
        and item["unit_name"] == "UBND phường Phú Xuân"
    )
    assert [e["step"] for e in item["timeline"]][-1] == "published"
    assert account_id not in response.text and "reporter" not in response.text


async def test_private_and_unpublished_reports_stay_off_the_feed(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    private = await _handled(api, unit_id, is_public=False)
    pending = (await api.submit())["id"]
    feed = (await api.client.get("/v1/public/reports")).json()["items"]
    assert feed == []
    for rid in (private, pending):
        assert (await api.client.get(f"/v1/public/reports/{rid}")).status_code == 404


async def test_feed_filters_by_ward_category_and_bounding_box(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    citadel = await _handled(api, unit_id, ward_code=PHU_XUAN, category_code="trees")
    vy_da = await _handled(api, unit_id, ward_code=VY_DA, latitude=16.4770, longitude=107.6060)

    async def ids(**params: str) -> list[str]:
        return [r["id"] for r in (await api.client.get("/v1/public/reports", params=params)).json()["items"]]

    assert await ids(ward_code=VY_DA) == [vy_da]
    assert await ids(category_code="trees") == [citadel]
    assert await ids(bbox="16.46,107.57,16.475,107.585") == [citadel]
    points = (
        await api.client.get("/v1/public/reports/map", params={"bbox": "16.47,107.60,16.48,107.61"})
    ).json()
    assert [p["id"] for p in points] == [vy_da]


async def test_bad_bounding_box_is_a_400_problem(api: FeedbackDriver) -> None:
    response = await api.client.get("/v1/public/reports", params={"bbox": "north,south"})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-bbox")


async def _statistics(api: FeedbackDriver, expect: dict[str, int], **params: str) -> dict[str, Any]:
    for _ in range(200):
        rows = (await api.client.get("/v1/statistics/units", params=params)).json()
        by_unit = {r["unit_id"]: r for r in rows}
        if all(by_unit.get(u, {}).get("handled", 0) >= n for u, n in expect.items()):
            return by_unit
        await asyncio.sleep(0.02)
    raise AssertionError(f"statistics never reached {expect}: {rows}")


async def test_statistics_follow_the_reports_handled_through_the_api(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    reporter = api.citizen()
    rid = await _handled(api, unit_id, reporter)
    await api.client.post(f"/v1/reports/{rid}/rate", json={"satisfied": True, "score": 5}, headers=reporter)
    await _handled(api, unit_id)
    stats = (await _statistics(api, {unit_id: 2}))[unit_id]
    assert stats["received"] == 2 and stats["accepted"] == 2 and stats["handled_on_time"] == 2


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM_TIME).astimezone(UTC)


async def test_statistics_after_a_scripted_month_of_reports(api: FeedbackDriver) -> None:
    """A month of events for two units; any period is a sum of days, in Vietnam time."""
    fast, slow = await api.add_unit(), await api.add_unit()
    start = date(2026, 3, 1)
    events: list[Any] = []
    for i in range(30):
        day = start + timedelta(days=i)
        for unit_id, on_time, hours, satisfied in (
            (fast, True, 6.0, True),
            (slow, i % 3 != 0, 20.0, i % 2 == 0),
        ):
            base = {
                "report_id": str(uuid.uuid4()), "public_title": "t", "status": "x", "category_code": "trees",
                "ward_code": PHU_XUAN, "unit_id": unit_id,
            }  # fmt: skip
            events += [
                ReportAssigned(**base, occurred_at=_at(day, 8), unit_name="u", due_at=_at(day, 16)),
                ReportAcknowledged(**base, occurred_at=_at(day, 9)),
                ReportResolved(
                    **base, occurred_at=_at(day, 15), result="r", on_time=on_time, working_hours_taken=hours
                ),
                ReportRated(
                    **base, occurred_at=_at(day, 16), satisfied=satisfied, score=4 if satisfied else 2
                ),
            ]
    await api.service.runtime.bus.publish([envelope_for(e, source="/hues/feedback-service") for e in events])
    month = {"first_day": "2026-03-01", "last_day": "2026-03-30"}
    stats = await _statistics(api, {fast: 30, slow: 30}, **month)
    assert stats[fast]["received"] == 30 and stats[fast]["on_time_rate"] == 1.0
    assert stats[fast]["average_handling_hours"] == 6.0 and stats[fast]["satisfaction_rate"] == 1.0
    assert stats[slow]["handled_on_time"] == 20 and stats[slow]["satisfied"] == 15
    assert stats[slow]["average_handling_hours"] == 20.0
    first_week = await _statistics(api, {}, first_day="2026-03-01", last_day="2026-03-07")
    assert first_week[fast]["handled"] == 7 and first_week[slow]["handled_on_time"] == 4


async def test_redelivered_events_are_counted_once(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    event = ReportResolved(
        report_id=str(uuid.uuid4()), public_title="t", status="resolved", category_code="trees",
        ward_code=PHU_XUAN, unit_id=unit_id, occurred_at=_at(date(2026, 4, 1)), result="r", on_time=True,
        working_hours_taken=1.0,
    )  # fmt: skip
    envelope = envelope_for(event, source="/hues/feedback-service")
    sentinel = envelope_for(event.model_copy(update={"report_id": "other"}), source="/hues/feedback-service")
    await api.service.runtime.bus.publish([envelope, envelope, sentinel])
    stats = await _statistics(api, {unit_id: 2}, first_day="2026-04-01", last_day="2026-04-01")
    assert stats[unit_id]["handled"] == 2  # the original and the sentinel, not the duplicate


async def test_dic_exports_statistics_as_csv(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit(name="Sở Xây dựng")
    await _handled(api, unit_id)
    await _statistics(api, {unit_id: 1})
    dic = bearer(api.keys.token(roles=["dic_admin"], kind="staff", permissions=[STATISTICS_EXPORT]))
    response = await api.client.get("/v1/statistics/units.csv", headers=dic)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["unit_name"] == "Sở Xây dựng" and row["handled"] == "1"


async def test_csv_export_needs_the_permission(api: FeedbackDriver) -> None:
    assert (await api.client.get("/v1/statistics/units.csv", headers=api.ioc())).status_code == 403
    assert (await api.client.get("/v1/statistics/units.csv")).status_code == 401
