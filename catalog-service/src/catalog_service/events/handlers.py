"""catalog-service's subscriptions, declared in one place.

Integration hook (Art. 15.2): `events/integration.py` holds the handlers for integration-service's
approval, suspension and reinstatement events; when `hues_shared/contracts/integration.py` lands,
subscribe them here, e.g. `handlers.on(IntegrationApproved)(integration.provider_from_approval)`.
See docs/catalog.md.
"""

from catalog_service.offerings import service as offerings
from catalog_service.providers import service as providers
from catalog_service.reviews import service as reviews
from hues_shared.contracts.catalog import ProviderUpdated, ReviewModerated, ReviewPosted
from hues_shared.contracts.identity import AccountClosed
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
