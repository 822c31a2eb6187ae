"""integration-service's subscriptions, declared in one place (built with the service's components)."""

from __future__ import annotations

from typing import Any

from hues_shared.contracts.gateway import PartnerUsageRecorded
from hues_shared.contracts.identity import AccountClosed
from hues_shared.contracts.integration import WEBHOOK_EVENT_SCOPES, ApplicationSubmitted
from hues_shared.events.consumer import EventContext, EventHandlers
from hues_shared.events.contracts import contract_for
from integration_service.components import IntegrationComponents
from integration_service.conformance import service as conformance_service
from integration_service.consents import service as consents_service
from integration_service.usage import service as usage_service
from integration_service.webhooks import service as webhooks_service


def build_handlers(components: IntegrationComponents) -> EventHandlers:
    handlers = EventHandlers()

    @handlers.on(ApplicationSubmitted)
    async def check_conformance(event: ApplicationSubmitted, ctx: EventContext) -> None:
        """Run the automated conformance check of the submitted application and store the report."""
        await conformance_service.check_application(
            ctx.session, application_id=event.application_id, components=components
        )

    @handlers.on(AccountClosed)
    async def end_consents_of_closed_account(event: AccountClosed, ctx: EventContext) -> None:
        """A closed account's consents end at once; partners hear it through ConsentRevoked (Law 91/2025)."""
        await consents_service.revoke_all_for_account(ctx.session, account_id=event.account_id)

    @handlers.on(PartnerUsageRecorded)
    async def record_usage(event: PartnerUsageRecorded, ctx: EventContext) -> None:
        """Add a gateway's batch of partner calls to the daily usage (Art. 15.3)."""
        await usage_service.record_batch(ctx.session, event=event)

    async def queue_webhooks(event: Any, ctx: EventContext) -> None:
        """Queue a delivery for each subscription to this event type (sent later by the dispatcher)."""
        await webhooks_service.fan_out(
            ctx.session, envelope=ctx.envelope, application_id=event.application_id
        )

    for event_type in WEBHOOK_EVENT_SCOPES:
        contract = contract_for(event_type)
        assert contract is not None, event_type
        handlers.on(contract)(queue_webhooks)
    return handlers
