"""The webhook sender: claims due deliveries from the database, sends them signed per Standard Webhooks,
records each attempt. Runs in the service's background (never in a request); many receivers at once, each
bounded by a timeout, so a slow or hostile receiver holds one slot for at most that long."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import timedelta

import httpx

from hues_shared.app import ServiceRuntime
from hues_shared.outbound import blocked_reason
from hues_shared.types import utcnow
from integration_service.applications import repository as applications
from integration_service.components import EXTRAS_KEY, IntegrationComponents
from integration_service.webhooks import repository, service
from integration_service.webhooks.signing import signed_headers

logger = logging.getLogger(__name__)
TASK_KEY = "integration.webhooks"


async def dispatch_once(runtime: ServiceRuntime) -> int:
    """Send every due delivery (up to a batch); returns how many were attempted."""
    components: IntegrationComponents = runtime.extras[EXTRAS_KEY]
    settings = components.settings
    jobs: list[tuple[str, str, str, str]] = []  # delivery id, url, secret, body
    async with runtime.db.unit_of_work() as session:
        now = utcnow()
        for delivery in await repository.claim_due(session, now=now, limit=settings.webhook_batch_size):
            subscription = await repository.get_subscription(
                session, subscription_id=delivery.subscription_id
            )
            application = (
                await applications.get(session, application_id=subscription.application_id)
                if subscription
                else None
            )
            if subscription is None or application is None or not application.webhook_secret_sealed:
                delivery.status, delivery.next_attempt_at = "failed", None
                continue
            # Lease: another worker will not pick it before the send has surely finished.
            delivery.next_attempt_at = now + timedelta(seconds=settings.webhook_timeout_seconds * 3)
            secret = components.sealer.unseal(application.webhook_secret_sealed).decode()
            jobs.append((delivery.id, subscription.url, secret, json.dumps(delivery.payload)))
    if not jobs:
        return 0
    limit = asyncio.Semaphore(settings.webhook_concurrency)
    async with components.guard.client(
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        max_connections=settings.webhook_concurrency,
    ) as client:
        await asyncio.gather(*(_send(runtime, client, limit, *job) for job in jobs))
    return len(jobs)


async def _send(
    runtime: ServiceRuntime,
    client: httpx.AsyncClient,
    limit: asyncio.Semaphore,
    delivery_id: str,
    url: str,
    secret: str,
    body: str,
) -> None:
    components: IntegrationComponents = runtime.extras[EXTRAS_KEY]
    async with limit:
        at = utcnow()
        started = time.perf_counter()
        status_code, error = None, None
        try:
            headers = signed_headers(secret, message_id=delivery_id, at=at, body=body)
            async with asyncio.timeout(components.settings.webhook_timeout_seconds):
                response = await client.post(url, content=body, headers=headers)
            status_code = response.status_code
        except (httpx.HTTPError, TimeoutError) as exc:
            blocked = blocked_reason(exc)
            error = f"{blocked.rule}: {blocked.detail}" if blocked else f"{type(exc).__name__}: {exc}"
        duration_ms = (time.perf_counter() - started) * 1000
    async with runtime.db.unit_of_work() as session:
        await service.record_attempt(
            session,
            delivery_id=delivery_id,
            at=at,
            status_code=status_code,
            duration_ms=duration_ms,
            error=error,
            schedule=components.settings.webhook_retry_schedule_seconds,
        )


async def _loop(runtime: ServiceRuntime, interval: float) -> None:
    while True:
        try:
            if await dispatch_once(runtime) == 0:
                await asyncio.sleep(interval)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("webhook dispatch round failed; retrying")
            await asyncio.sleep(interval)


async def start_dispatcher(runtime: ServiceRuntime) -> None:
    components: IntegrationComponents = runtime.extras[EXTRAS_KEY]
    if components.settings.webhook_dispatcher_enabled:
        interval = components.settings.webhook_poll_seconds
        runtime.extras[TASK_KEY] = asyncio.create_task(_loop(runtime, interval), name="webhook-dispatcher")


async def stop_dispatcher(runtime: ServiceRuntime) -> None:
    task = runtime.extras.pop(TASK_KEY, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
