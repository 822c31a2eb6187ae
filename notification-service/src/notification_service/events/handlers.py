"""notification-service's subscriptions to other services' events, declared in one place."""

from hues_shared.contracts.identity import AccountRegistered
from hues_shared.events.consumer import EventContext, EventHandlers
from notification_service.inbox import service as inbox_service

handlers = EventHandlers()


@handlers.on(AccountRegistered)
async def welcome_new_account(event: AccountRegistered, ctx: EventContext) -> None:
    """Put a welcome message in the new account's inbox."""
    await inbox_service.create_welcome_message(
        ctx.session,
        account_id=event.account_id,
        display_name=event.display_name,
        source_event_id=ctx.envelope.id,
    )
