"""Webhook subscriptions limited by the application's scopes, the fan-out of events into deliveries, and
the bookkeeping of attempts (retry schedule, give-up, auto-disable with a notice). No network I/O here:
the dispatcher sends (connection standard v1.1, s. 8; Standard Webhooks)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal
from hues_shared.contracts.integration import WEBHOOK_EVENT_SCOPES, WebhookSubscriptionDisabled
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.outbox import record_event
from hues_shared.outbound import BlockedDestination, OutboundGuard
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import Conflict, NotFound, UnprocessableContent
from hues_shared.types import utcnow
from integration_service.applications import repository as applications
from integration_service.applications.authorization import ensure_owner, ensure_visible
from integration_service.applications.lifecycle import Status
from integration_service.applications.models import Application
from integration_service.db import tables
from integration_service.webhooks import repository
from integration_service.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from integration_service.webhooks.schemas import AttemptOut, DeliveryOut, SubscriptionIn, SubscriptionOut


async def create_subscription(
    session: AsyncSession,
    *,
    application_id: str,
    data: SubscriptionIn,
    principal: Principal,
    guard: OutboundGuard,
) -> SubscriptionOut:
    """Subscribe to event types the application's scopes allow; the URL must pass the SSRF rules."""
    application = ensure_owner(principal, await applications.get(session, application_id=application_id))
    if application.status in (Status.RETIRED, Status.REJECTED):
        raise Conflict(f"The application is {application.status}.", slug="application-closed")
    scopes = set(application.manifest.get("requested_scopes", []))
    refused = sorted(t for t in set(data.event_types) if WEBHOOK_EVENT_SCOPES.get(t) not in scopes)
    if refused:
        raise UnprocessableContent(
            f"Not allowed by the application's scopes (or unknown): {', '.join(refused)}.",
            slug="event-type-not-allowed",
        )
    try:
        guard.check_url(str(data.url))
    except BlockedDestination as exc:
        raise UnprocessableContent(exc.detail, slug=exc.rule.replace(".", "-")) from exc
    subscription = WebhookSubscription(
        id=str(uuid.uuid4()),
        application_id=application.id,
        url=str(data.url),
        event_types=sorted(set(data.event_types)),
        status="active",
        created_at=utcnow(),
    )
    await repository.add(session, row=subscription)
    return SubscriptionOut.model_validate(subscription)


async def get_subscriptions(
    session: AsyncSession, *, application_id: str, principal: Principal
) -> list[SubscriptionOut]:
    application = ensure_visible(principal, await applications.get(session, application_id=application_id))
    return [
        SubscriptionOut.model_validate(s)
        for s in await repository.get_subscriptions(session, application_id=application.id)
    ]


async def _owned_subscription(
    session: AsyncSession, subscription_id: str, principal: Principal, *, owner_only: bool
) -> WebhookSubscription:
    subscription = await repository.get_subscription(session, subscription_id=subscription_id)
    if subscription is None:
        raise NotFound("No such subscription.", slug="subscription-not-found")
    application = await applications.get(session, application_id=subscription.application_id)
    (ensure_owner if owner_only else ensure_visible)(principal, application)
    return subscription


async def enable_subscription(
    session: AsyncSession, *, subscription_id: str, principal: Principal
) -> SubscriptionOut:
    """Re-enable a subscription that was disabled after persistent failure (once the receiver is fixed)."""
    subscription = await _owned_subscription(session, subscription_id, principal, owner_only=True)
    subscription.status, subscription.disabled_at = "active", None
    return SubscriptionOut.model_validate(subscription)


async def get_deliveries(
    session: AsyncSession, *, subscription_id: str, principal: Principal, cursor: str | None, limit: int
) -> Page[DeliveryOut]:
    """The newest deliveries with every attempt's response code and timing (DIC reviewers see them too)."""
    await _owned_subscription(session, subscription_id, principal, owner_only=False)
    after = decode_cursor(cursor)
    rows = await repository.get_deliveries(
        session,
        subscription_id=subscription_id,
        after=(datetime.fromisoformat(after[0]), str(after[1])) if after else None,
        limit=limit + 1,
    )
    items = []
    for delivery in rows[:limit]:
        out = DeliveryOut.model_validate(delivery)
        attempts = await repository.get_attempts(session, delivery_id=delivery.id)
        out.log = [AttemptOut.model_validate(a) for a in attempts]
        items.append(out)
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor([last.created_at.isoformat(), last.id]) if last else None
    return Page(items=items, next_cursor=next_cursor)


async def redeliver(session: AsyncSession, *, delivery_id: str, principal: Principal) -> DeliveryOut:
    """Send a delivery again now (by hand), whatever its status; same webhook-id, so receivers dedupe."""
    delivery = await repository.get_delivery(session, delivery_id=delivery_id)
    if delivery is None:
        raise NotFound("No such delivery.", slug="delivery-not-found")
    await _owned_subscription(session, delivery.subscription_id, principal, owner_only=True)
    delivery.status, delivery.next_attempt_at = "pending", utcnow()
    return DeliveryOut.model_validate(delivery)


def subscribers_of(application: Application, event_type: str) -> bool:
    return WEBHOOK_EVENT_SCOPES.get(event_type) in set(application.manifest.get("requested_scopes", []))


async def fan_out(session: AsyncSession, *, envelope: EventEnvelope, application_id: str) -> int:
    """One delivery per active subscription of `application_id` to this event type; idempotent by event id."""
    application = await applications.get(session, application_id=application_id)
    if application is None or not subscribers_of(application, envelope.type):
        return 0
    created = 0
    payload: dict[str, Any] = {
        "type": envelope.type,
        "timestamp": envelope.time.isoformat(),
        "data": envelope.data,
    }
    for subscription in await repository.get_subscriptions(
        session, application_id=application_id, active_only=True
    ):
        if envelope.type not in subscription.event_types:
            continue
        if await repository.has_delivery(session, subscription_id=subscription.id, event_id=envelope.id):
            continue
        await repository.add(
            session,
            row=WebhookDelivery(
                id=f"msg_{uuid.uuid4().hex}",
                subscription_id=subscription.id,
                event_id=envelope.id,
                event_type=envelope.type,
                payload=payload,
                status="pending",
                attempts=0,
                next_attempt_at=utcnow(),
                created_at=utcnow(),
            ),
        )
        created += 1
    return created


async def record_attempt(
    session: AsyncSession,
    *,
    delivery_id: str,
    at: datetime,
    status_code: int | None,
    duration_ms: float,
    error: str | None,
    schedule: list[float],
) -> None:
    """Log one try; on failure schedule the next (exponential backoff from the database) or give up and
    disable the subscription with a notice to its owner."""
    delivery = await repository.get_delivery(session, delivery_id=delivery_id)
    if delivery is None:
        return
    await repository.add(
        session,
        row=WebhookAttempt(
            id=str(uuid.uuid4()),
            delivery_id=delivery.id,
            attempted_at=at,
            status_code=status_code,
            duration_ms=round(duration_ms, 2),
            error=error[:500] if error else None,
        ),
    )
    delivery.attempts += 1
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", at, None
        return
    retry_index = delivery.attempts - 1
    if retry_index < len(schedule):
        delivery.next_attempt_at = at + timedelta(seconds=schedule[retry_index])
        return
    delivery.status, delivery.next_attempt_at = "failed", None
    await _disable(session, delivery, at)


async def _disable(session: AsyncSession, delivery: WebhookDelivery, at: datetime) -> None:
    subscription = await repository.get_subscription(session, subscription_id=delivery.subscription_id)
    if subscription is None or subscription.status != "active":
        return
    application = await applications.get(session, application_id=subscription.application_id)
    assert application is not None
    subscription.status, subscription.disabled_at = "disabled", at
    await record_event(
        session,
        tables,
        WebhookSubscriptionDisabled(
            subscription_id=subscription.id,
            application_id=application.id,
            owner_kind=application.owner_kind,
            owner_id=application.owner_id,
            url=subscription.url,
            failed_since=delivery.created_at,
            disabled_at=at,
        ),
    )
