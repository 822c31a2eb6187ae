"""integration-service's subscriptions, declared in one place (built with the service's components)."""

from __future__ import annotations

from hues_shared.contracts.integration import ApplicationSubmitted
from hues_shared.events.consumer import EventContext, EventHandlers
from integration_service.components import IntegrationComponents
from integration_service.conformance import service as conformance_service


def build_handlers(components: IntegrationComponents) -> EventHandlers:
    handlers = EventHandlers()

    @handlers.on(ApplicationSubmitted)
    async def check_conformance(event: ApplicationSubmitted, ctx: EventContext) -> None:
        """Run the automated conformance check of the submitted application and store the report."""
        await conformance_service.check_application(
            ctx.session, application_id=event.application_id, components=components
        )

    return handlers
