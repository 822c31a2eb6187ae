"""notification-service's subscriptions to other services' events, declared in one place."""

from hues_shared.contracts.identity import AccountClosed, AccountRegistered, PasswordExpiring
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


@handlers.on(PasswordExpiring)
async def remind_password_expiry(event: PasswordExpiring, ctx: EventContext) -> None:
    """Tell the account its password expires soon (identity publishes reminders before the 90 days)."""
    await inbox_service.create_password_expiry_reminder(
        ctx.session,
        account_id=event.account_id,
        expires_at=event.expires_at,
        days_left=event.days_left,
        source_event_id=ctx.envelope.id,
    )


@handlers.on(AccountClosed)
async def erase_closed_account(event: AccountClosed, ctx: EventContext) -> None:
    """Erase the closed account's inbox, as identity erased its personal data."""
    await inbox_service.erase_account_messages(ctx.session, account_id=event.account_id)
