"""Events published by catalog-service (providers, their offerings, reviews; Art. 6.4, 12.2).

Topics per aggregate: `catalog.provider` (key provider_id), `catalog.offering` (key offering_id),
`catalog.review` (key offering_id, so one offering's reviews stay ordered for its rating aggregate).
catalog-service itself consumes the review events to keep each offering's rating current.
"""

from __future__ import annotations

from datetime import datetime

from hues_shared.events.contracts import EventContract, contract

PRODUCER = "catalog-service"
PROVIDER_TOPIC = "catalog.provider"
OFFERING_TOPIC = "catalog.offering"
REVIEW_TOPIC = "catalog.review"


@contract(type="hues.catalog.provider.published", topic=PROVIDER_TOPIC, key="provider_id", producer=PRODUCER)
class ProviderPublished(EventContract):
    """A provider joined the catalogue: created by the DIC for an agency or from an approved integration."""

    provider_id: str
    name: str
    kind: str  # agency | enterprise | organization
    unit_id: str | None = None  # identity unit of an agency provider
    owner_account_id: str | None = None  # organization account owning an enterprise provider
    integration_id: str | None = None
    verified: bool
    published_at: datetime


@contract(type="hues.catalog.provider.updated", topic=PROVIDER_TOPIC, key="provider_id", producer=PRODUCER)
class ProviderUpdated(EventContract):
    """A provider's profile or verified mark changed."""

    provider_id: str
    name: str
    verified: bool
    status: str  # active | suspended
    updated_at: datetime


@contract(type="hues.catalog.provider.suspended", topic=PROVIDER_TOPIC, key="provider_id", producer=PRODUCER)
class ProviderSuspended(EventContract):
    """A provider was suspended (by the DIC or its integration); its offerings leave search."""

    provider_id: str
    reason: str
    suspended_at: datetime


@contract(type="hues.catalog.provider.reinstated", topic=PROVIDER_TOPIC, key="provider_id", producer=PRODUCER)
class ProviderReinstated(EventContract):
    """A suspended provider was reinstated; its published offerings are found again."""

    provider_id: str
    reinstated_at: datetime


@contract(type="hues.catalog.offering.published", topic=OFFERING_TOPIC, key="offering_id", producer=PRODUCER)
class OfferingPublished(EventContract):
    """A provider's staff published an offering (Art. 6.4, 6.5)."""

    offering_id: str
    provider_id: str
    kind: str  # goods | service | public-service | mini-app
    category_code: str
    title: str
    ward_code: str | None = None
    published_at: datetime


@contract(type="hues.catalog.offering.updated", topic=OFFERING_TOPIC, key="offering_id", producer=PRODUCER)
class OfferingUpdated(EventContract):
    """An offering changed (content by its provider, or reinstated by the IOC: see `status`)."""

    offering_id: str
    provider_id: str
    title: str
    category_code: str
    ward_code: str | None = None
    status: str  # published | suspended | withdrawn
    updated_at: datetime


@contract(type="hues.catalog.offering.suspended", topic=OFFERING_TOPIC, key="offering_id", producer=PRODUCER)
class OfferingSuspended(EventContract):
    """An offering left the catalogue: suspended by IOC moderation or withdrawn by its provider."""

    offering_id: str
    provider_id: str
    reason: str
    by: str  # moderation | provider
    suspended_at: datetime


@contract(type="hues.catalog.review.posted", topic=REVIEW_TOPIC, key="offering_id", producer=PRODUCER)
class ReviewPosted(EventContract):
    """A verified citizen rated an offering or edited their rating (one per offering, Art. 12.2)."""

    review_id: str
    offering_id: str
    provider_id: str
    rating: int
    edited: bool
    posted_at: datetime


@contract(type="hues.catalog.review.moderated", topic=REVIEW_TOPIC, key="offering_id", producer=PRODUCER)
class ReviewModerated(EventContract):
    """The IOC hid a review (abuse) or restored it; a hidden review leaves the offering's rating."""

    review_id: str
    offering_id: str
    visible: bool
    reason: str
    moderated_at: datetime
