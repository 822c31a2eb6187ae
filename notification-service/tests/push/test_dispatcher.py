"""Push: batching to an FCM v1 compatible provider (the local sink), retries, invalid tokens, priority,
TTL, preferences and quiet hours with the critical bypass, idempotency per (notice, device)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa

from hues_shared.testing.tokens import bearer
from notification_service.push import repository
from notification_service.push.dispatcher import DispatchSettings, PushDispatcher
from notification_service.push.models import Device, PushDelivery
from notification_service.push.provider import FcmProvider
from notification_service.push.sink import SinkState, create_sink_app
from notification_service.testing import PHU_XUAN, THUAN_AN, World

PAD = ":fcm-registration"
CRITICAL = {"severity": "Extreme", "urgency": "Immediate"}


async def _device(world: World, citizen: str, token: str, locale: str = "vi") -> str:
    body = {"platform": "android", "token": token + PAD, "app_version": "2.1.0", "locale": locale}
    response = await world.post("/v1/devices", citizen, body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _deliveries(world: World, notice_id: str, count: int) -> dict[str, str]:
    """Wait until the dispatcher recorded `count` (notice, device) outcomes; returns device -> status."""
    for _ in range(300):
        async with world.service.runtime.db.sessions() as session:
            rows = (
                await session.scalars(sa.select(PushDelivery).where(PushDelivery.notice_id == notice_id))
            ).all()
        if len(rows) >= count:
            return {r.device_id: r.status for r in rows}
        await asyncio.sleep(0.02)
    raise AssertionError(f"only {len(rows)} deliveries recorded")


def _tokens(sink: SinkState) -> list[str]:
    return sorted(m["token"].removesuffix(PAD) for m in sink.received)


async def _critical(world: World, target: dict[str, Any]) -> dict[str, Any]:
    author, approver = world.operator(), world.operator()
    draft = await world.draft_alert(author, target, **CRITICAL)
    assert (await world.post(f"/v1/notices/{draft['id']}/approve", approver)).status_code == 200
    return await world.publish(author, draft["id"])


async def test_a_ward_warning_is_pushed_to_that_wards_devices_only(pushing: World, sink: SinkState) -> None:
    inside, elsewhere = await pushing.citizen(ward=PHU_XUAN), await pushing.citizen(ward=THUAN_AN)
    await _device(pushing, inside, "tok-inside-1")
    await _device(pushing, inside, "tok-inside-2")
    await _device(pushing, elsewhere, "tok-elsewhere")
    alert = await pushing.published_alert({"ward_codes": [PHU_XUAN]})
    statuses = await _deliveries(pushing, alert["id"], 2)
    assert sorted(statuses.values()) == ["accepted", "accepted"]
    assert _tokens(sink) == ["tok-inside-1", "tok-inside-2"]


async def test_pages_of_the_audience_are_all_pushed(pushing: World, sink: SinkState) -> None:
    citizens = [await pushing.citizen() for _ in range(5)]  # batch size 2: three pages
    for index, citizen in enumerate(citizens):
        await _device(pushing, citizen, f"tok-{index}")
    notice = await pushing.published_notice({"everyone": True})
    await _deliveries(pushing, notice["id"], 5)
    assert _tokens(sink) == [f"tok-{i}" for i in range(5)]


async def test_priority_follows_severity_and_ttl_is_the_expiry(pushing: World, sink: SinkState) -> None:
    citizen = await pushing.citizen()
    await _device(pushing, citizen, "tok-en", locale="en")
    expires = datetime.now(UTC) + timedelta(hours=2)
    moderate = await pushing.published_alert({"everyone": True}, expires_at=expires.isoformat())
    await _deliveries(pushing, moderate["id"], 1)
    severe = await pushing.published_alert({"everyone": True}, severity="Severe")
    await _deliveries(pushing, severe["id"], 1)
    first, second = sink.received
    assert first["android"]["priority"] == "NORMAL" and first["apns"]["headers"]["apns-priority"] == "5"
    assert 7000 < int(first["android"]["ttl"].removesuffix("s")) <= 7200
    assert abs(int(first["apns"]["headers"]["apns-expiration"]) - expires.timestamp()) < 120  # absolute
    assert second["android"]["priority"] == "HIGH" and second["apns"]["headers"]["apns-priority"] == "10"
    assert first["notification"]["title"] == "Flood warning"  # the device's locale
    assert first["data"]["notice_id"] == moderate["id"]


async def test_a_dispatch_run_again_pushes_nothing_twice(pushing: World, sink: SinkState) -> None:
    citizen = await pushing.citizen()
    await _device(pushing, citizen, "tok-once")
    notice = await pushing.published_notice({"everyone": True})
    await _deliveries(pushing, notice["id"], 1)
    async with pushing.service.runtime.db.unit_of_work() as session:  # a redelivered event, a restarted job
        from notification_service.push.models import PushJob

        job = await session.get(PushJob, notice["id"])
        assert job is not None
        job.done_at, job.after_device_id = None, ""
    await pushing.service.runtime.extras["push_dispatcher"].drain()
    assert _tokens(sink) == ["tok-once"]


async def test_transient_provider_failures_are_retried(pushing: World, sink: SinkState) -> None:
    citizen = await pushing.citizen()
    await _device(pushing, citizen, "tok-retry")
    sink.fail_next = 2
    notice = await pushing.published_notice({"everyone": True})
    statuses = await _deliveries(pushing, notice["id"], 1)
    assert list(statuses.values()) == ["accepted"]
    assert sink.requests == 3 and _tokens(sink) == ["tok-retry"]
    async with pushing.service.runtime.db.sessions() as session:
        attempts = await session.scalar(sa.select(PushDelivery.attempts))
    assert attempts == 3


async def test_a_provider_outage_holds_the_page_until_the_provider_is_back(
    pushing: World, sink: SinkState
) -> None:
    citizen = await pushing.citizen()
    await _device(pushing, citizen, "tok-outage")
    sink.fail_next = 10**6
    notice = await pushing.published_notice({"everyone": True})
    for _ in range(300):  # the dispatcher keeps trying: four attempts per round
        if sink.requests >= 8:
            break
        await asyncio.sleep(0.02)
    async with pushing.service.runtime.db.sessions() as session:
        recorded = await session.scalar(sa.select(sa.func.count()).select_from(PushDelivery))
    assert sink.requests >= 8 and recorded == 0  # nothing marked failed, the job did not move on
    sink.fail_next = 0
    statuses = await _deliveries(pushing, notice["id"], 1)
    assert list(statuses.values()) == ["accepted"] and _tokens(sink) == ["tok-outage"]


async def test_an_invalid_token_is_removed(pushing: World, sink: SinkState) -> None:
    citizen = await pushing.citizen()
    stale = await _device(pushing, citizen, "invalid-uninstalled")
    kept = await _device(pushing, citizen, "tok-kept")
    notice = await pushing.published_notice({"everyone": True})
    statuses = await _deliveries(pushing, notice["id"], 2)
    assert statuses == {stale: "invalid_token", kept: "accepted"}
    async with pushing.service.runtime.db.sessions() as session:
        assert await session.get(Device, stale) is None
        assert await session.get(Device, kept) is not None


async def test_a_muted_topic_gets_no_push_but_a_critical_warning_does(
    pushing: World, sink: SinkState
) -> None:
    citizen = await pushing.citizen()
    await _device(pushing, citizen, "tok-muted")
    body = {"muted": [{"topic": "flood", "channel": "push"}]}
    assert (
        await pushing.service.client.put("/v1/preferences", json=body, headers=bearer(citizen))
    ).status_code == 200
    moderate = await pushing.published_alert({"everyone": True})
    assert list((await _deliveries(pushing, moderate["id"], 1)).values()) == ["skipped_muted"]
    critical = await _critical(pushing, {"everyone": True})
    assert list((await _deliveries(pushing, critical["id"], 1)).values()) == ["accepted"]
    assert [m["data"]["notice_id"] for m in sink.received] == [critical["id"]]


async def test_quiet_hours_hold_non_critical_pushes_until_they_end_but_not_critical_ones(
    pushing: World, sink: SinkState
) -> None:
    citizen = await pushing.citizen()
    await _device(pushing, citizen, "tok-night")
    hue_now = datetime.now(UTC) + timedelta(hours=7)
    start, end = hue_now - timedelta(hours=1), hue_now + timedelta(hours=1)
    quiet = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
    response = await pushing.service.client.put(
        "/v1/preferences", json={"quiet_hours": quiet}, headers=bearer(citizen)
    )
    assert response.status_code == 200
    notice = await pushing.published_notice({"everyone": True})
    assert list((await _deliveries(pushing, notice["id"], 1)).values()) == ["deferred_quiet"]
    critical = await _critical(pushing, {"everyone": True})
    assert list((await _deliveries(pushing, critical["id"], 1)).values()) == ["accepted"]
    assert [m["data"]["notice_id"] for m in sink.received] == [critical["id"]]
    async with pushing.service.runtime.db.unit_of_work() as session:  # the quiet hours are over
        held = await session.get(PushDelivery, (notice["id"], (await _device_ids(pushing, citizen))[0]))
        assert held is not None and held.not_before is not None
        assert timedelta(minutes=50) < held.not_before - datetime.now(UTC) <= timedelta(hours=1)
        held.not_before = datetime.now(UTC) - timedelta(seconds=1)
    for _ in range(300):
        if len(sink.received) == 2:
            break
        await asyncio.sleep(0.02)
    assert [m["data"]["notice_id"] for m in sink.received] == [critical["id"], notice["id"]]


async def _device_ids(world: World, token: str) -> list[str]:
    response = await world.service.client.get("/v1/devices", headers=bearer(token))
    return [d["id"] for d in response.json()["items"]]


async def test_statistics_count_pushed_and_accepted(pushing: World, sink: SinkState) -> None:
    citizen = await pushing.citizen()
    await _device(pushing, citizen, "tok-a")
    await _device(pushing, citizen, "invalid-b")
    author = pushing.operator()
    draft = await pushing.draft_notice(author, {"everyone": True})
    await pushing.publish(author, draft["id"])
    await _deliveries(pushing, draft["id"], 2)
    stats = (
        await pushing.service.client.get(f"/v1/notices/{draft['id']}/statistics", headers=bearer(author))
    ).json()
    assert (stats["targeted"], stats["pushed"], stats["accepted"], stats["invalid_tokens"]) == (1, 2, 1, 1)


async def test_a_warning_superseded_before_its_pushes_ran_is_not_pushed(world: World) -> None:
    """`world` runs without a dispatcher: the jobs wait until the one built here drains them."""
    citizen = await world.citizen()
    await _device(world, citizen, "tok-latest")
    first = await world.published_alert({"everyone": True})
    update = await world.published_alert(None, msg_type="Update", references_notice_id=first["id"])
    async with world.service.runtime.db.unit_of_work() as session:
        for notice in (first, update):
            await repository.create_job(session, notice_id=notice["id"])
    sink = SinkState()
    transport = httpx.ASGITransport(app=create_sink_app(sink))
    provider = FcmProvider(
        endpoint="http://sink",
        project_id="p",
        access_token=None,
        concurrency=5,
        timeout=5,
        transport=transport,
    )
    await PushDispatcher(world.service.runtime, provider, DispatchSettings()).drain()
    await provider.close()
    assert [m["data"]["notice_id"] for m in sink.received] == [update["id"]]


async def test_a_misrouted_provider_answering_404_removes_no_device(world: World) -> None:
    citizen = await world.citizen()
    device_id = await _device(world, citizen, "tok-keep-me")
    notice = await world.published_notice({"everyone": True})
    async with world.service.runtime.db.unit_of_work() as session:
        await repository.create_job(session, notice_id=notice["id"])
    sink = SinkState()
    transport = httpx.ASGITransport(app=create_sink_app(sink))
    provider = FcmProvider(
        endpoint="http://sink/wrong-prefix",
        project_id="p",
        access_token=None,
        concurrency=5,
        timeout=5,
        transport=transport,
    )
    await PushDispatcher(world.service.runtime, provider, DispatchSettings()).drain()
    await provider.close()
    async with world.service.runtime.db.sessions() as session:
        assert await session.get(Device, device_id) is not None
        delivery = await session.get(PushDelivery, (notice["id"], device_id))
    assert delivery is not None and delivery.status == "failed"
