"""notification-service's subscriptions to other services' events, declared in one place.

Personal messages are idempotent per event id (the consumer inbox, plus a unique source_event_id).
Feedback's report events message the reporter and followers (`recipient_account_ids`) on the changes
docs/notification.md lists; integration's application approved/suspended message the owning organization.
"""

from hues_shared.contracts.feedback import (
    ReportAccepted,
    ReportAssigned,
    ReportClosed,
    ReportEvent,
    ReportMerged,
    ReportPublished,
    ReportRejected,
    ReportReopened,
    ReportResolved,
    ReportWorkStarted,
)
from hues_shared.contracts.identity import (
    AccountClosed,
    AccountLocked,
    AccountRegistered,
    PasswordExpiring,
    ProfileChanged,
    RoleGranted,
    RoleRevoked,
)
from hues_shared.contracts.integration import ApplicationApproved, ApplicationSuspended, ApplicationTransition
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


async def _tell_reporters(event: ReportEvent, ctx: EventContext, kind: str, **values: object) -> None:
    await inbox_service.create_report_messages(
        ctx.session,
        recipient_account_ids=event.recipient_account_ids,
        kind=kind,
        title=event.public_title,
        source_event_id=ctx.envelope.id,
        **values,
    )


@handlers.on(ReportAccepted)
async def tell_report_accepted(event: ReportAccepted, ctx: EventContext) -> None:
    await _tell_reporters(event, ctx, "report-accepted")


@handlers.on(ReportRejected)
async def tell_report_rejected(event: ReportRejected, ctx: EventContext) -> None:
    """The reporter reads the IOC's reason."""
    await _tell_reporters(event, ctx, "report-rejected", reason=event.reason)


@handlers.on(ReportAssigned)
async def tell_report_assigned(event: ReportAssigned, ctx: EventContext) -> None:
    """Assignment and transfer alike: the reporter learns which unit handles the report now."""
    await _tell_reporters(event, ctx, "report-assigned", unit_name=event.unit_name)


@handlers.on(ReportWorkStarted)
async def tell_report_in_progress(event: ReportWorkStarted, ctx: EventContext) -> None:
    await _tell_reporters(event, ctx, "report-in-progress")


@handlers.on(ReportResolved)
async def tell_report_resolved(event: ReportResolved, ctx: EventContext) -> None:
    await _tell_reporters(event, ctx, "report-resolved", result=event.result)


@handlers.on(ReportPublished)
async def tell_report_published(event: ReportPublished, ctx: EventContext) -> None:
    """The outcome is out: the reporter is invited to rate it (Art. 16.3)."""
    await _tell_reporters(event, ctx, "report-published")


@handlers.on(ReportReopened)
async def tell_report_reopened(event: ReportReopened, ctx: EventContext) -> None:
    await _tell_reporters(event, ctx, "report-reopened")


@handlers.on(ReportClosed)
async def tell_report_closed(event: ReportClosed, ctx: EventContext) -> None:
    await _tell_reporters(event, ctx, "report-closed")


@handlers.on(ReportMerged)
async def tell_report_merged(event: ReportMerged, ctx: EventContext) -> None:
    """The duplicate's reporter now follows the kept report and gets its updates from here on."""
    await _tell_reporters(event, ctx, "report-merged")


async def _tell_owner(event: ApplicationTransition, ctx: EventContext, kind: str, **values: str) -> None:
    await inbox_service.create_application_message(
        ctx.session,
        owner_kind=event.owner_kind,
        owner_id=event.owner_id,
        kind=kind,
        application_id=event.application_id,
        comment=event.comment,
        source_event_id=ctx.envelope.id,
        **values,
    )


@handlers.on(ApplicationApproved)
async def tell_application_approved(event: ApplicationApproved, ctx: EventContext) -> None:
    """The DIC approved the organization's application for an environment (Art. 15.2)."""
    await _tell_owner(event, ctx, "application-approved", environment=event.environment)


@handlers.on(ApplicationSuspended)
async def tell_application_suspended(event: ApplicationSuspended, ctx: EventContext) -> None:
    """The DIC suspended the organization's application; the gateway refuses its calls."""
    await _tell_owner(event, ctx, "application-suspended")
