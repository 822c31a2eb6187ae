"""The push dispatcher: its own consumer group on `notification.notice`, batching to the provider.

The group's handler only records a push job for the notice (in the consumer's unit of work, once
per event id). A loop then works the jobs page by page, one short transaction per page: the job
row is locked (other dispatcher processes skip it and take another job or the next page), the
page's devices are decided (channel muted? quiet hours?), sent concurrently, retried with backoff,
recorded as one row per (notice, device) and the job's progress moves on. A redelivered event or a
restarted dispatcher skips what was already accepted, so pushes are idempotent per (notice,
device); a crash mid-page re-sends at most that page. Critical warnings (Extreme or Severe,
Immediate) bypass preferences and quiet hours.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.app import ServiceRuntime
from hues_shared.contracts.notification import NoticePublished
from hues_shared.events.consumer import EventConsumer, EventContext, EventHandlers
from hues_shared.types import utcnow
from notification_service.notices import repository as notices
from notification_service.notices.models import Notice
from notification_service.preferences import repository as preferences
from notification_service.preferences.service import in_quiet_hours, quiet_hours_end
from notification_service.push import repository
from notification_service.push.models import Device, PushDelivery
from notification_service.push.provider import FcmProvider, PushMessage, PushResult

logger = logging.getLogger(__name__)
GROUP = "notification-dispatcher"
DEFAULT_TTL = timedelta(days=3)
MAX_TTL = timedelta(days=28)  # FCM's limit
FINAL = {"accepted", "invalid_token", "skipped_muted", "deferred_quiet", "dropped"}  # never re-sent by a job


class ProviderUnavailable(Exception):
    """Every push of a page failed transiently: the page is rolled back and tried again later."""


@dataclass
class DispatchSettings:
    batch_size: int = 500
    max_attempts: int = 4
    retry_base_seconds: float = 0.5
    poll_seconds: float = 1.0


def ttl_seconds(expires_at: datetime | None, *, now: datetime) -> int:
    """TTL = the warning's expiry (a push arriving after it would mislead); bounded by FCM's maximum."""
    remaining = (expires_at - now) if expires_at else DEFAULT_TTL
    return int(max(timedelta(seconds=0), min(remaining, MAX_TTL)).total_seconds())


def still_worth_pushing(notice: Notice, *, now: datetime) -> bool:
    """An expired warning, or one already updated or cancelled, is not pushed any further (the newer
    message has its own pushes)."""
    if notice.published_at is None or notice.superseded_at is not None:
        return False
    return notice.expires_at is None or notice.expires_at > now


def message_for(notice: Notice, device: Device, *, now: datetime) -> PushMessage:
    english = device.locale == "en"
    return PushMessage(
        device_id=device.id,
        token=device.token,
        title=(notice.title_en if english and notice.title_en else notice.title_vi),
        body=(notice.body_en if english and notice.body_en else notice.body_vi)[:500],
        data={
            "notice_id": notice.id,
            "kind": notice.kind,
            "msg_type": notice.msg_type,
            "severity": notice.severity or "",
        },
        high_priority=notice.severity in ("Extreme", "Severe"),
        ttl_seconds=(ttl := ttl_seconds(notice.expires_at, now=now)),
        expires_epoch=int(now.timestamp()) + ttl,
    )


class PushDispatcher:
    def __init__(self, runtime: ServiceRuntime, provider: FcmProvider, settings: DispatchSettings) -> None:
        self.runtime = runtime
        self.provider = provider
        self.settings = settings
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        handlers = EventHandlers()
        handlers.on(NoticePublished)(self._on_published)
        self.consumer = EventConsumer(
            group=GROUP,
            bus=runtime.bus,
            db=runtime.db,
            tables=runtime.tables,
            handlers=handlers,
            metrics=runtime.metrics,
            batch_size=50,
            max_attempts=runtime.settings.event_max_attempts,
            retry_base_seconds=runtime.settings.event_retry_base_seconds,
        )

    def start(self) -> None:
        self.consumer.start()
        self._task = asyncio.create_task(self.run(), name="push-dispatcher")

    async def stop(self) -> None:
        await self.consumer.stop()
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
        await self.provider.close()

    async def _on_published(self, event: NoticePublished, ctx: EventContext) -> None:
        await repository.create_job(ctx.session, notice_id=event.notice_id)
        self._wake.set()  # the job is visible once the consumer commits; the loop also polls

    async def run(self) -> None:
        while not self._stopping:
            try:
                worked = await self.work_one_page() or await self.work_deferred_page()
            except Exception as exc:  # a database or provider outage: back off, the job stays where it was
                logger.warning("push dispatch failed; retrying", extra={"error": repr(exc)})
                worked = False
            if not worked:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.settings.poll_seconds)

    async def work_one_page(self) -> bool:
        """Push the next page of the oldest unfinished job; False when there is nothing to do."""
        async with self.runtime.db.unit_of_work() as session:
            job = await repository.claim_job(session)
            if job is None:
                return False
            notice = await notices.get(session, notice_id=job.notice_id)
            if notice is None or not still_worth_pushing(notice, now=utcnow()):
                job.done_at = utcnow()
                return True
            accounts = notices.audience_accounts(await notices.get_audiences(session, notice_id=notice.id))
            page = await repository.stream_targets(
                session,
                accounts=accounts,
                after_device_id=job.after_device_id,
                limit=self.settings.batch_size,
            )
            if not page:
                job.done_at = utcnow()
                return True
            await self._dispatch_page(session, notice, page)
            job.after_device_id = page[-1][0].id
            return True

    async def drain(self) -> None:
        """Work every pending job to the end (tests, benchmarks)."""
        while await self.work_one_page() or await self.work_deferred_page():
            pass

    async def _dispatch_page(
        self, session: AsyncSession, notice: Notice, page: Sequence[tuple[Device, int | None, int | None]]
    ) -> None:
        now = utcnow()
        done = await repository.get_deliveries(
            session, notice_id=notice.id, device_ids=[d.id for d, _, _ in page]
        )
        muted: set[str] = set()
        if not notice.critical:
            muted = await preferences.get_accounts_muting(
                session,
                topic=notice.topic,
                channel="push",
                account_ids=sorted({d.account_id for d, _, _ in page}),
            )
        rows: dict[str, PushDelivery] = {}
        to_send: list[PushMessage] = []
        for device, quiet_start, quiet_end in page:
            previous = done.get(device.id)
            if previous is not None and previous.status in FINAL:
                continue  # idempotent per (notice, device)
            status, not_before = None, None
            if not notice.critical and device.account_id in muted:
                status = "skipped_muted"
            elif not notice.critical and in_quiet_hours(quiet_start, quiet_end, at=now):
                assert quiet_start is not None and quiet_end is not None
                status, not_before = "deferred_quiet", quiet_hours_end(quiet_start, quiet_end, at=now)
            rows[device.id] = PushDelivery(
                notice_id=notice.id,
                device_id=device.id,
                account_id=device.account_id,
                status=status or "failed",
                not_before=not_before,
                attempts=previous.attempts if previous else 0,
                updated_at=now,
            )
            if status is None:
                to_send.append(message_for(notice, device, now=now))
        await self._send_and_record(session, rows, to_send)

    async def work_deferred_page(self) -> bool:
        """Send pushes held for quiet hours once those end, unless the warning expired or was replaced."""
        async with self.runtime.db.unit_of_work() as session:
            now = utcnow()
            due = await repository.claim_due_deferrals(session, now=now, limit=self.settings.batch_size)
            if not due:
                return False
            found = await notices.get_many(session, notice_ids=sorted({d.notice_id for d in due}))
            by_id = {n.id: n for n in found}
            devices = await repository.get_many(session, device_ids=[d.device_id for d in due])
            rows: dict[str, PushDelivery] = {}
            to_send: list[PushMessage] = []
            for delivery in due:
                notice, device = by_id.get(delivery.notice_id), devices.get(delivery.device_id)
                delivery.updated_at = now
                if notice is None or device is None or not still_worth_pushing(notice, now=now):
                    delivery.status = "dropped"
                    continue
                delivery.status = "failed"
                rows[device.id] = delivery
                to_send.append(message_for(notice, device, now=now))
            await self._send_and_record(session, rows, to_send)
            return True

    async def _send_and_record(
        self, session: AsyncSession, rows: dict[str, PushDelivery], to_send: list[PushMessage]
    ) -> None:
        """Send, then record one row per (notice, device) and delete the devices whose token is invalid."""
        results = await self._send_with_retries(to_send, rows)
        if results and all(r.outcome == "retry" for r in results):
            # The provider is down, not the devices: undo the page (job and rows unchanged), retry later.
            raise ProviderUnavailable(f"{len(results)} pushes still failing after retries")
        invalid = [r.device_id for r in results if r.outcome == "invalid_token"]
        for result in results:
            row = rows[result.device_id]
            row.status = "failed" if result.outcome == "retry" else result.outcome
            row.provider_message_id = result.message_id
        await repository.save_deliveries(session, deliveries=list(rows.values()))
        await repository.delete(session, device_ids=invalid)  # invalid-token clean-up

    async def _send_with_retries(
        self, messages: list[PushMessage], rows: dict[str, PushDelivery]
    ) -> list[PushResult]:
        final: list[PushResult] = []
        pending = messages
        for attempt in range(1, self.settings.max_attempts + 1):
            if not pending:
                break
            results = await self.provider.send(pending)
            for message in pending:
                rows[message.device_id].attempts += 1
            retry_ids = {r.device_id for r in results if r.outcome == "retry"}
            final += [r for r in results if r.outcome != "retry" or attempt == self.settings.max_attempts]
            pending = [m for m in pending if m.device_id in retry_ids]
            if pending and attempt < self.settings.max_attempts:
                hinted = max((r.retry_after or 0.0) for r in results if r.device_id in retry_ids)
                await asyncio.sleep(max(hinted, self.settings.retry_base_seconds * 2 ** (attempt - 1)))
        return final
