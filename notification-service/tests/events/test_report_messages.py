"""Feedback's report events become personal messages for the reporter and followers (issue 10 and 11):
one per event id and account, in the account's language, only on the changes a citizen is told of."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hues_shared.contracts.feedback import (
    ReportAccepted,
    ReportAcknowledged,
    ReportAssigned,
    ReportClosed,
    ReportDeadlinePassed,
    ReportEvent,
    ReportMerged,
    ReportPublished,
    ReportRejected,
    ReportReopened,
    ReportResolved,
    ReportWorkStarted,
)
from hues_shared.events.outbox import envelope_for
from notification_service.testing import World

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _event(cls: type[ReportEvent], recipients: list[str], report_id: str = "", **fields: Any) -> ReportEvent:
    return cls(
        report_id=report_id or str(uuid.uuid4()),
        public_title="Ổ gà đường Lê Lợi",
        status="x",
        category_code="roads-traffic",
        ward_code="19768",
        occurred_at=NOW,
        recipient_account_ids=recipients,
        **fields,
    )


async def _deliver(world: World, *events: ReportEvent) -> None:
    await world.service.runtime.bus.publish(
        [envelope_for(e, source="/hues/feedback-service") for e in events]
    )


async def _messages(world: World, token: str, kind: str) -> list[dict[str, Any]]:
    return [i for i in await world.inbox(token, "?kind=message") if i["type"] == kind]


STATUS_MESSAGES = [
    (ReportAccepted, {}, "report-accepted", "đã được tiếp nhận xử lý", "was accepted"),
    (ReportRejected, {"reason": "Ngoài phạm vi"}, "report-rejected", "Lý do: Ngoài phạm vi", "Reason: Ngoài"),
    (
        ReportAssigned,
        {"unit_name": "UBND phường Phú Xuân", "due_at": NOW + timedelta(days=3)},
        "report-assigned",
        "chuyển đến UBND phường Phú Xuân",
        "assigned to UBND phường Phú Xuân",
    ),
    (ReportWorkStarted, {}, "report-in-progress", "đang được xử lý", "is being handled"),
    (
        ReportResolved,
        {"result": "Đã vá ổ gà", "on_time": True, "working_hours_taken": 5.0},
        "report-resolved",
        "Kết quả: Đã vá ổ gà",
        "Result: Đã vá ổ gà",
    ),
    (ReportPublished, {"is_public": True}, "report-published", "đã được công bố", "Please rate it"),
    (ReportReopened, {"due_at": NOW + timedelta(days=3)}, "report-reopened", "mở lại", "was reopened"),
    (ReportClosed, {}, "report-closed", "đã kết thúc", "is closed"),
    (ReportMerged, {"into_report_id": str(uuid.uuid4())}, "report-merged", "đã được gộp", "was merged"),
]


@pytest.mark.parametrize(
    ("cls", "fields", "kind", "vi", "en"), STATUS_MESSAGES, ids=lambda v: getattr(v, "__name__", None)
)
async def test_each_status_change_tells_the_reporter_in_their_language(
    world: World, cls: type[ReportEvent], fields: dict[str, Any], kind: str, vi: str, en: str
) -> None:
    vietnamese, english = await world.citizen(language="vi"), await world.citizen(language="en")
    await _deliver(world, _event(cls, [world.keys_sub(vietnamese), world.keys_sub(english)], **fields))
    vi_items = await world.wait_for(vietnamese, lambda items: any(i["type"] == kind for i in items))
    en_items = await world.wait_for(english, lambda items: any(i["type"] == kind for i in items))
    vi_message = next(i for i in vi_items if i["type"] == kind)
    en_message = next(i for i in en_items if i["type"] == kind)
    assert vi in vi_message["body"] and '"Ổ gà đường Lê Lợi"' in vi_message["body"]
    assert en in en_message["body"] and en_message["body"].startswith(("Your", "The outcome"))


@pytest.mark.parametrize(
    ("cls", "fields", "kind", "vi", "en"), STATUS_MESSAGES, ids=lambda v: getattr(v, "__name__", None)
)
async def test_the_same_event_delivered_twice_gives_one_message(
    world: World, cls: type[ReportEvent], fields: dict[str, Any], kind: str, vi: str, en: str
) -> None:
    citizen = await world.citizen()
    report_id = str(uuid.uuid4())
    envelope = envelope_for(
        _event(cls, [world.keys_sub(citizen)], report_id, **fields), source="/hues/feedback"
    )
    await world.service.runtime.bus.publish([envelope, envelope])
    await world.service.runtime.bus.publish([envelope])
    # A later event of the same report is consumed after the redeliveries (one queue, in order).
    await _deliver(world, _event(ReportClosed, [world.keys_sub(citizen)], report_id))
    closed = "report-closed"
    await world.wait_for(citizen, lambda items: any(i["type"] == closed for i in items))
    assert len(await _messages(world, citizen, kind)) == (2 if kind == closed else 1)


async def test_every_recipient_of_one_event_gets_exactly_one_message(world: World) -> None:
    reporter, follower = await world.citizen(), await world.citizen()
    ids = [world.keys_sub(reporter), world.keys_sub(follower), world.keys_sub(reporter)]
    envelope = envelope_for(_event(ReportAccepted, ids), source="/hues/feedback-service")
    await world.service.runtime.bus.publish([envelope, envelope])
    for token in (reporter, follower):
        await world.wait_for(token, lambda items: any(i["type"] == "report-accepted" for i in items))
    await _deliver(world, _event(ReportClosed, ids))
    for token in (reporter, follower):
        await world.wait_for(token, lambda items: any(i["type"] == "report-closed" for i in items))
        assert len(await _messages(world, token, "report-accepted")) == 1


async def test_an_account_unknown_to_the_projection_is_written_to_in_vietnamese(world: World) -> None:
    citizen = await world.citizen(language="en")
    stranger_id = str(uuid.uuid4())
    stranger = world.keys.token(sub=stranger_id, roles=("citizen",), kind="citizen")
    await _deliver(world, _event(ReportAccepted, [stranger_id, world.keys_sub(citizen)]))
    [message] = await world.wait_for(stranger, lambda items: len(items) == 1)
    assert message["title"] == "Phản ánh đã được tiếp nhận"
    assert (await world.wait_for(citizen, lambda items: len(items) == 2))[0]["title"] == "Report accepted"


async def test_internal_and_unlisted_events_write_nothing(world: World) -> None:
    citizen = await world.citizen()
    account = world.keys_sub(citizen)
    internal = _event(ReportDeadlinePassed, [], stage="handling", due_at=NOW)
    acknowledged = _event(ReportAcknowledged, [account])  # a unit-side step: the reporter is not told
    await _deliver(world, internal, acknowledged, _event(ReportClosed, [account]))
    items = await world.wait_for(citizen, lambda items: any(i["type"] == "report-closed" for i in items))
    assert sorted(i["type"] for i in items) == ["report-closed", "welcome"]
