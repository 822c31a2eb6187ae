"""catalog-service's subscriptions, declared in one place.

Integration (Art. 15.2): an approved application's owner becomes a verified provider, whose status then
follows the application's (suspended, reinstated, retired). The consumer's inbox makes every handler
idempotent by event id, and the service functions are idempotent by state too. See docs/catalog.md.
"""

from catalog_service.offerings import service as offerings
from catalog_service.providers import service as providers
from catalog_service.reviews import service as reviews
from hues_shared.contracts.catalog import ProviderUpdated, ReviewModerated, ReviewPosted
from hues_shared.contracts.identity import AccountClosed
from hues_shared.contracts.integration import (
    ApplicationApproved,
    ApplicationReinstated,
    ApplicationRetired,
    ApplicationSuspended,
)
from hues_shared.events.consumer import EventContext, EventHandlers

handlers = EventHandlers()


@handlers.on(ReviewPosted)
async def recount_after_review(event: ReviewPosted, ctx: EventContext) -> None:
    """Keep the offering's rating current (Art. 12.2)."""
    await reviews.refresh_rating(ctx.session, offering_id=event.offering_id)


@handlers.on(ReviewModerated)
async def recount_after_moderation(event: ReviewModerated, ctx: EventContext) -> None:
    """A hidden review leaves the rating; a restored one comes back."""
    await reviews.refresh_rating(ctx.session, offering_id=event.offering_id)


@handlers.on(AccountClosed)
async def erase_closed_account(event: AccountClosed, ctx: EventContext) -> None:
    """Erase the closed account's reviews and reports (as identity erased its personal data) and
    suspend any provider the account owned."""
    await reviews.erase_account_reviews(ctx.session, account_id=event.account_id)
    await providers.suspend_providers_of_closed_account(ctx.session, account_id=event.account_id)


@handlers.on(ProviderUpdated)
async def reindex_after_profile_change(event: ProviderUpdated, ctx: EventContext) -> None:
    """Offerings are found by their provider's name too; keep their search text current."""
    await offerings.reindex_provider_offerings(ctx.session, provider_id=event.provider_id)


@handlers.on(ApplicationApproved)
async def provider_from_approval(event: ApplicationApproved, ctx: EventContext) -> None:
    """The approved application's owning organization (or unit) becomes a verified provider (Art. 15.2)."""
    await providers.provider_from_approval(
        ctx.session,
        application_id=event.application_id,
        owner_kind=event.owner_kind,
        owner_id=event.owner_id,
        name=event.name,
    )


@handlers.on(ApplicationSuspended)
async def suspend_with_application(event: ApplicationSuspended, ctx: EventContext) -> None:
    """The DIC suspended the application: its provider leaves search and public reads."""
    reason = event.comment or "integration suspended by the DIC"
    await providers.suspend_provider_of_integration(
        ctx.session, integration_id=event.application_id, reason=reason
    )


@handlers.on(ApplicationReinstated)
async def reinstate_with_application(event: ApplicationReinstated, ctx: EventContext) -> None:
    """The suspension was lifted: the provider and its offerings are found again."""
    await providers.reinstate_provider_of_integration(ctx.session, integration_id=event.application_id)


@handlers.on(ApplicationRetired)
async def retire_with_application(event: ApplicationRetired, ctx: EventContext) -> None:
    """The application was retired (final): its provider leaves the catalogue."""
    await providers.retire_provider_of_integration(ctx.session, integration_id=event.application_id)
