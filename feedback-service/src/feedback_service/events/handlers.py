"""feedback-service's subscriptions to events, declared in one place."""

from feedback_service.units import service as units_service
from hues_shared.contracts.identity import UnitCreated, UnitUpdated
from hues_shared.events.consumer import EventContext, EventHandlers

handlers = EventHandlers()


@handlers.on(UnitCreated)
async def project_created_unit(event: UnitCreated, ctx: EventContext) -> None:
    """Keep identity's new unit locally, for routing and unit names."""
    await units_service.project_unit_created(ctx.session, event=event)


@handlers.on(UnitUpdated)
async def project_updated_unit(event: UnitUpdated, ctx: EventContext) -> None:
    """Rename, re-kind or deactivate the local copy."""
    await units_service.project_unit_updated(ctx.session, event=event)
