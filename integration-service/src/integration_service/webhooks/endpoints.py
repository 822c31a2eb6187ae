"""Routes of webhook subscriptions and their delivery log (connection standard v1.1, s. 8)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, page_params
from integration_service.components import Components
from integration_service.db import tables
from integration_service.webhooks import service
from integration_service.webhooks.schemas import DeliveryOut, SubscriptionIn, SubscriptionOut

router = APIRouter(tags=["webhooks"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid access token (problem+json)"},
    403: {"description": "Not the application's owner (problem+json)"},
    404: {"description": "No such application, subscription or delivery, or another organization's"},
    409: {"description": "The application is retired or rejected (problem+json)"},
    422: {"description": "Event type outside the scopes, or a URL the SSRF rules refuse (problem+json)"},
}


@router.post(
    "/v1/applications/{application_id}/webhook-subscriptions",
    status_code=201,
    response_model=SubscriptionOut,
    summary="Subscribe to events",
    responses=PROBLEMS,
)
async def create_subscription(
    application_id: str,
    body: SubscriptionIn,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    components: Components,
) -> SubscriptionOut | JSONResponse:
    """Event types the application's scopes allow; deliveries are signed with the application's webhook
    secret per Standard Webhooks and retried for at least 24 h. Honours `Idempotency-Key`."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    subscription = await service.create_subscription(
        session, application_id=application_id, data=body, principal=principal, guard=components.guard
    )
    await idempotency.remember(201, subscription.model_dump(mode="json"))
    return subscription


@router.get(
    "/v1/applications/{application_id}/webhook-subscriptions",
    summary="List subscriptions",
    responses=PROBLEMS,
)
async def get_subscriptions(
    application_id: str, session: DbSession, principal: CurrentPrincipal
) -> list[SubscriptionOut]:
    return await service.get_subscriptions(session, application_id=application_id, principal=principal)


@router.post("/v1/webhook-subscriptions/{subscription_id}/enable", summary="Re-enable", responses=PROBLEMS)
async def enable_subscription(
    subscription_id: str, session: DbSession, principal: CurrentPrincipal
) -> SubscriptionOut:
    """After an automatic disable (persistent failure), once the receiver works again."""
    return await service.enable_subscription(session, subscription_id=subscription_id, principal=principal)


@router.get(
    "/v1/webhook-subscriptions/{subscription_id}/deliveries", summary="Delivery log", responses=PROBLEMS
)
async def get_deliveries(
    subscription_id: str,
    session: DbSession,
    principal: CurrentPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[DeliveryOut]:
    """Newest first, each with its attempts' response codes and timings."""
    return await service.get_deliveries(
        session, subscription_id=subscription_id, principal=principal, cursor=page.cursor, limit=page.limit
    )


@router.post(
    "/v1/webhook-deliveries/{delivery_id}/redeliver", summary="Redeliver by hand", responses=PROBLEMS
)
async def redeliver(delivery_id: str, session: DbSession, principal: CurrentPrincipal) -> DeliveryOut:
    """Queue the delivery again now (same webhook-id: receivers deduplicate)."""
    return await service.redeliver(session, delivery_id=delivery_id, principal=principal)
