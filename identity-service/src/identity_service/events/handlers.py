"""identity-service's subscriptions: its own queued messages, sent after the request committed."""

from __future__ import annotations

from hues_shared.contracts.identity import MessageQueued
from hues_shared.events.consumer import EventContext, EventHandlers, PermanentEventError
from identity_service.components import IdentityComponents
from identity_service.messages import service as messages


def identity_handlers(components: IdentityComponents | None = None) -> EventHandlers:
    """The handlers, bound to one app's components (its cipher and message provider)."""
    registry = EventHandlers()

    @registry.on(MessageQueued)
    async def send_queued_message(event: MessageQueued, ctx: EventContext) -> None:
        """Send a code, temporary password or notice identity queued; idempotent by message id."""
        if components is None:
            raise PermanentEventError("identity's handlers run inside its app, which binds its components")
        await messages.deliver(ctx.session, components, message_id=event.message_id)

    return registry


# What identity subscribes to (read by the event catalogue); `create_app` binds its own copy.
handlers = identity_handlers()
