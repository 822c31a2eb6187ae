"""The consumer on the in-memory bus: inbox dedupe, batch fallback, retries, dead letters and their replay."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from hues_eventlab import app as lab
from hues_eventlab.waiting import eventually

from hues_shared.events.bus import Delivery
from hues_shared.events.consumer import BatchContext, EventConsumer, EventHandlers, dead_letter_topic
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.outbox import envelope_for, record_event
from hues_shared.events.set_aside import set_aside
from hues_shared.permissions import DEAD_LETTERS_MANAGE
from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys, bearer
from hues_shared.types import utcnow


def item(key: str, seq: int = 1, note: str = "") -> EventEnvelope:
    return envelope_for(lab.ItemRecorded(item_key=key, seq=seq, note=note), source="/hues/test")


def deliveries(*envelopes: EventEnvelope) -> list[Delivery]:
    return [Delivery(e, e.topic, 0, offset) for offset, e in enumerate(envelopes)]


def consumer_of(service: RunningService) -> EventConsumer:
    assert service.runtime.consumer is not None
    return service.runtime.consumer


async def test_event_recorded_by_a_request_is_handled_once(lab_service: RunningService) -> None:
    response = await lab_service.client.post("/v1/lab/items", json={"name": "lamp"})
    assert response.status_code == 201

    async def handled() -> bool:
        return await lab.effects(lab_service.runtime.db) == (1, 1, 0)

    await eventually(handled)


async def test_redelivered_event_is_absorbed_by_the_inbox(lab_service: RunningService) -> None:
    envelope = item("bench")
    consumer = consumer_of(lab_service)
    await consumer.process(deliveries(envelope, envelope))
    await consumer.process(deliveries(envelope))
    assert await lab.effects(lab_service.runtime.db) == (1, 1, 0)
    async with lab_service.runtime.db.sessions() as session:
        inbox = await session.scalar(sa.select(sa.func.count()).select_from(lab.tables.inbox))
    assert inbox == 1


async def test_failed_batch_falls_back_to_one_event_at_a_time(lab_service: RunningService) -> None:
    lab.faults.fail("flaky", times=1)
    batch = [item(f"k{i}", i, note="flaky" if i == 2 else f"ok{i}") for i in range(5)]
    await consumer_of(lab_service).process(deliveries(*batch))
    assert await lab.effects(lab_service.runtime.db) == (5, 5, 0)
    assert lab.faults.attempts["flaky"] == 2  # once in the failed batch, once alone
    assert lab.faults.attempts["ok0"] == 2 and lab.faults.attempts["ok4"] == 1  # rolled back, then redone


async def test_failing_event_is_retried_with_backoff_then_dead_lettered(lab_service: RunningService) -> None:
    consumer = consumer_of(lab_service)
    consumer.retry_base_seconds = 0.05
    lab.faults.fail("broken", times=99)
    envelope = item("broken", note="broken")
    await consumer.process(deliveries(envelope))

    times = lab.faults.attempt_times["broken"]
    assert len(times) == consumer.max_attempts  # a batch of one is tried alone at once
    assert times[1] - times[0] >= 0.05 and times[2] - times[1] >= 0.1  # exponential backoff
    async with lab_service.runtime.db.sessions() as session:
        row = (await session.execute(sa.select(lab.tables.dead_letters))).one()
    assert (row.event_id, row.attempts, row.consumer) == (envelope.id, consumer.max_attempts, lab.SERVICE)
    assert "injected failure" in row.error
    bus = lab_service.runtime.bus
    assert isinstance(bus, RecordingBus)
    assert [e.id for e in bus.published if e.topic == dead_letter_topic(lab.SERVICE)] == [envelope.id]


async def test_stream_moves_on_after_a_dead_letter(lab_service: RunningService) -> None:
    lab.faults.fail("broken", times=99)
    await lab_service.runtime.bus.publish([item("a", note="broken"), item("b", note="fine")])

    async def settled() -> bool:
        return await lab.effects(lab_service.runtime.db) == (1, 1, 1)

    await eventually(settled)


async def test_poison_payload_goes_straight_to_dead_letter(lab_service: RunningService) -> None:
    good = item("x")
    poison = EventEnvelope(
        type=good.type, source=good.source, topic=good.topic, key="x", data={"item_key": "x"}
    )
    await consumer_of(lab_service).process(deliveries(poison))
    assert lab.faults.attempts.total() == 0  # the handler never saw it
    async with lab_service.runtime.db.sessions() as session:
        row = (await session.execute(sa.select(lab.tables.dead_letters))).one()
    assert row.attempts == 1 and "does not match ItemRecorded" in row.error


async def test_permanent_handler_error_is_not_retried(lab_service: RunningService) -> None:
    lab.faults.permanent.add("hopeless")
    await consumer_of(lab_service).process(deliveries(item("h", note="hopeless")))
    assert lab.faults.attempts["hopeless"] == 1  # no retry at all
    assert await lab.effects(lab_service.runtime.db) == (0, 0, 1)


async def test_event_of_another_type_on_a_subscribed_topic_is_skipped(lab_service: RunningService) -> None:
    other = EventEnvelope(
        type="hues.lab.item.renamed", source="/hues/test", topic="lab.item", key="k", data={}
    )
    await consumer_of(lab_service).process(deliveries(other))
    assert await lab.effects(lab_service.runtime.db) == (0, 0, 0)


async def test_event_of_an_unknown_type_is_counted_and_not_recorded_as_handled(
    lab_service: RunningService, caplog: pytest.LogCaptureFixture
) -> None:
    """Fault 6: an unknown type was written to the inbox silently, so a later replay was discarded."""
    unknown = EventEnvelope(
        type="hues.lab.item.recorded.v2", source="/hues/test", topic="lab.item", key="k", data={}
    )
    consumer = consumer_of(lab_service)
    with caplog.at_level(logging.WARNING):
        await consumer.process(deliveries(unknown))
    async with lab_service.runtime.db.sessions() as session:
        inbox = await session.scalar(sa.select(sa.func.count()).select_from(lab.tables.inbox))
    assert inbox == 0
    assert consumer.metrics.events_handled.labels(unknown.type, "unknown_type")._value.get() == 1
    assert any("unknown type" in record.getMessage() for record in caplog.records)


async def test_redelivered_batch_never_dead_letters_an_event_twice(lab_service: RunningService) -> None:
    """Fault 2: a batch that came back after a failed offset commit dead-lettered each failure again."""
    consumer = consumer_of(lab_service)
    consumer.max_attempts = 1
    lab.faults.fail("broken", times=999)
    batch = deliveries(*[item(f"k{i}", i, note="broken" if i % 2 else f"ok{i}") for i in range(6)])
    await consumer.process(batch)
    await consumer.process(batch)  # the same batch again: its offsets were never committed
    assert await lab.effects(lab_service.runtime.db) == (3, 3, 3)


async def dead_letter_one(service: RunningService) -> int:
    lab.faults.fail("replay-me", times=99)
    await consumer_of(service).process(deliveries(item("r", note="replay-me")))
    async with service.runtime.db.sessions() as session:
        return int(await session.scalar(sa.select(lab.tables.dead_letters.c.id)) or 0)


async def test_operator_lists_and_replays_a_dead_letter(
    lab_service: RunningService, test_keys: SigningKeys
) -> None:
    dead_letter_id = await dead_letter_one(lab_service)
    operator = bearer(test_keys.token(roles=["dic_admin"], permissions=[DEAD_LETTERS_MANAGE]))
    listed = await lab_service.client.get("/v1/ops/dead-letters", headers=operator)
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()["items"]] == [dead_letter_id]

    lab.faults.heal()
    replayed = await lab_service.client.post(
        f"/v1/ops/dead-letters/{dead_letter_id}/replay", headers=operator
    )
    assert replayed.status_code == 200 and replayed.json()["status"] == "replayed"
    again = await lab_service.client.post(f"/v1/ops/dead-letters/{dead_letter_id}/replay", headers=operator)
    assert again.status_code == 200
    assert await lab.effects(lab_service.runtime.db) == (1, 1, 0)
    pending = await lab_service.client.get("/v1/ops/dead-letters", headers=operator)
    assert pending.json()["items"] == []


async def test_replay_that_fails_again_is_a_conflict(
    lab_service: RunningService, test_keys: SigningKeys
) -> None:
    dead_letter_id = await dead_letter_one(lab_service)
    operator = bearer(test_keys.token(permissions=[DEAD_LETTERS_MANAGE]))
    response = await lab_service.client.post(
        f"/v1/ops/dead-letters/{dead_letter_id}/replay", headers=operator
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/replay-failed")


async def test_replay_of_unknown_dead_letter_is_not_found(
    lab_service: RunningService, test_keys: SigningKeys
) -> None:
    operator = bearer(test_keys.token(permissions=[DEAD_LETTERS_MANAGE]))
    response = await lab_service.client.post("/v1/ops/dead-letters/999/replay", headers=operator)
    assert response.status_code == 404


async def test_dead_letters_refuse_callers_without_the_permission(
    lab_service: RunningService, test_keys: SigningKeys
) -> None:
    dead_letter_id = await dead_letter_one(lab_service)
    citizen = bearer(test_keys.token(roles=["citizen"]))
    assert (await lab_service.client.get("/v1/ops/dead-letters", headers=citizen)).status_code == 403
    refused = await lab_service.client.post(f"/v1/ops/dead-letters/{dead_letter_id}/replay", headers=citizen)
    assert refused.status_code == 403
    assert (await lab_service.client.get("/v1/ops/dead-letters")).status_code == 401
    assert await lab.effects(lab_service.runtime.db) == (0, 0, 1)  # nothing was replayed


async def test_operator_retries_or_discards_events_the_outbox_set_aside(
    lab_service: RunningService, test_keys: SigningKeys
) -> None:
    runtime = lab_service.runtime
    async with runtime.db.unit_of_work() as session:
        for seq in (1, 2):
            await record_event(session, lab.tables, lab.ItemRecorded(item_key=f"aside-{seq}", seq=seq))

    async def published() -> bool:
        return await runtime.relay.backlog() == 0

    await eventually(published)
    async with runtime.db.unit_of_work() as session:
        rows = (
            await session.execute(sa.select(lab.tables.outbox).order_by(lab.tables.outbox.c.position))
        ).all()
        await set_aside(
            session, lab.tables, rows, {row.event_id: "MessageSizeTooLargeError()" for row in rows}
        )
    operator = bearer(test_keys.token(permissions=[DEAD_LETTERS_MANAGE]))
    listed = await lab_service.client.get("/v1/ops/dead-letters?source=outbox", headers=operator)
    assert [d["partition_key"] for d in listed.json()["items"]] == ["aside-2", "aside-1"]
    retry_id, discard_id = (d["id"] for d in listed.json()["items"])
    assert (await lab_service.client.get("/v1/ops/dead-letters", headers=operator)).json()["items"] == []

    retried = await lab_service.client.post(f"/v1/ops/dead-letters/{retry_id}/replay", headers=operator)
    assert retried.json()["status"] == "queued"
    discarded = await lab_service.client.post(f"/v1/ops/dead-letters/{discard_id}/discard", headers=operator)
    assert discarded.json()["status"] == "discarded"

    assert (await lab_service.client.get("/v1/ops/dead-letters?source=outbox", headers=operator)).json()[
        "items"
    ] == []
    await eventually(published)
    assert len([e for e in lab_service.runtime.bus.published if e.key == "aside-2"]) == 2  # type: ignore[attr-defined]
    citizen = bearer(test_keys.token(roles=["citizen"]))
    assert (
        await lab_service.client.post(f"/v1/ops/dead-letters/{retry_id}/discard", headers=citizen)
    ).status_code == 403


async def test_batch_handler_gets_each_fresh_event_of_a_batch_in_one_call(
    lab_service: RunningService,
) -> None:
    calls: list[list[int]] = []
    batch_handlers = EventHandlers()

    @batch_handlers.on_batch(lab.ItemRecorded)
    async def record_all(events: list[lab.ItemRecorded], ctx: BatchContext) -> None:
        calls.append([event.seq for event in events])
        await ctx.session.execute(  # one multi-row statement for the whole run
            lab.handled.insert(),
            [
                {
                    "event_id": envelope.id,
                    "item_key": event.item_key,
                    "seq": event.seq,
                    "handled_at": utcnow(),
                }
                for event, envelope in zip(events, ctx.envelopes, strict=True)
            ],
        )

    runtime = lab_service.runtime
    consumer = EventConsumer(
        group="batch",
        bus=runtime.bus,
        db=runtime.db,
        tables=lab.tables,
        handlers=batch_handlers,
        metrics=runtime.metrics,
    )
    envelopes = [item(f"k{i % 2}", i) for i in range(5)]
    await consumer.process(deliveries(*envelopes[:3]))
    await consumer.process(deliveries(*envelopes))  # the first three again: the inbox removes them
    assert calls == [[0, 1, 2], [3, 4]]
    assert (await lab.effects(runtime.db))[0] == 5
