"""feedback-service's subscriptions to events, declared in one place."""

from feedback_service.monitoring import service as monitoring_service
from feedback_service.units import service as units_service
from hues_shared.contracts.feedback import ReportAcknowledged, ReportAssigned, ReportRated, ReportResolved
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


# Statistics are maintained from this service's own report events (Art. 6.3), once per event id.
@handlers.on(ReportAssigned)
async def count_assignment(event: ReportAssigned, ctx: EventContext) -> None:
    await monitoring_service.count_assignment(ctx.session, event=event)


@handlers.on(ReportAcknowledged)
async def count_acknowledgement(event: ReportAcknowledged, ctx: EventContext) -> None:
    await monitoring_service.count_acknowledgement(ctx.session, event=event)


@handlers.on(ReportResolved)
async def count_resolution(event: ReportResolved, ctx: EventContext) -> None:
    await monitoring_service.count_resolution(ctx.session, event=event)


@handlers.on(ReportRated)
async def count_rating(event: ReportRated, ctx: EventContext) -> None:
    await monitoring_service.count_rating(ctx.session, event=event)
