"""notification-service's subscriptions to other services' events, declared in one place.

Personal messages are idempotent per event id (the consumer inbox, plus a unique source_event_id).
Hooks not wired yet because their contracts are not on main: feedback's report status changes
(template "report-status") and integration's application approved/suspended ("application-decided").
"""

from hues_shared.contracts.identity import (
    AccountClosed,
    AccountLocked,
    AccountRegistered,
    PasswordExpiring,
    ProfileChanged,
    RoleGranted,
    RoleRevoked,
)
from hues_shared.events.consumer import EventContext, EventHandlers
from notification_service.inbox import service as inbox_service
from notification_service.preferences import repository as preferences
from notification_service.push import repository as devices
from notification_service.recipients import service as recipients

handlers = EventHandlers()


@handlers.on(AccountRegistered)
async def welcome_new_account(event: AccountRegistered, ctx: EventContext) -> None:
    """Project the account (home ward, language, role) and welcome it in its language."""
    await recipients.record_registration(
        ctx.session,
        account_id=event.account_id,
        kind=event.kind,
        home_ward_code=event.home_ward_code,
        language=event.language,
    )
    await inbox_service.create_welcome_message(
        ctx.session,
        account_id=event.account_id,
        display_name=event.display_name,
        source_event_id=ctx.envelope.id,
    )


@handlers.on(ProfileChanged)
async def follow_profile_change(event: ProfileChanged, ctx: EventContext) -> None:
    """A new home ward changes which ward notices the account sees; a new language, its messages."""
    await recipients.record_profile(
        ctx.session, account_id=event.account_id, home_ward_code=event.home_ward_code, language=event.language
    )


@handlers.on(RoleGranted)
async def follow_role_grant(event: RoleGranted, ctx: EventContext) -> None:
    await recipients.record_role(ctx.session, account_id=event.account_id, role=event.role, granted=True)


@handlers.on(RoleRevoked)
async def follow_role_revocation(event: RoleRevoked, ctx: EventContext) -> None:
    await recipients.record_role(ctx.session, account_id=event.account_id, role=event.role, granted=False)


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


@handlers.on(AccountLocked)
async def tell_account_locked(event: AccountLocked, ctx: EventContext) -> None:
    """The account learns it was locked (Art. 13.2); it reads this after it is unlocked."""
    await inbox_service.create_lock_notice(
        ctx.session,
        account_id=event.account_id,
        locked_until=event.locked_until,
        source_event_id=ctx.envelope.id,
    )


@handlers.on(AccountClosed)
async def erase_closed_account(event: AccountClosed, ctx: EventContext) -> None:
    """Erase the closed account's inbox, devices and preferences, as identity erased its personal data."""
    await inbox_service.erase_account_messages(ctx.session, account_id=event.account_id)
    await devices.delete_all_for_account(ctx.session, account_id=event.account_id)
    await preferences.delete_all_for_account(ctx.session, account_id=event.account_id)
    await recipients.forget(ctx.session, account_id=event.account_id)
