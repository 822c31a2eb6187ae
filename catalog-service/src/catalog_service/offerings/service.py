"""Offerings are written by their provider's own staff only (Art. 13.1) and moderated by the IOC.

Each write rewrites the offering's search text and open-now slots in the same unit of work, and
records OfferingPublished / OfferingUpdated / OfferingSuspended.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.categories import repository as categories
from catalog_service.db import tables
from catalog_service.offerings import opening, repository
from catalog_service.offerings.models import Offering, OfferingStatus
from catalog_service.offerings.schemas import OfferingIn, OfferingOut, OfferingUpdateIn, ProviderBadge
from catalog_service.offerings.wards import hue_ward_names
from catalog_service.preconditions import ensure_if_match
from catalog_service.providers import repository as provider_repository
from catalog_service.providers import service as providers
from catalog_service.providers.authorization import can_manage, ensure_can_manage, oversees_catalog
from catalog_service.providers.models import Provider, ProviderStatus
from catalog_service.search import repository as search_index
from catalog_service.search.folding import fold
from hues_shared.auth.principal import Principal
from hues_shared.contracts.catalog import OfferingPublished, OfferingSuspended, OfferingUpdated
from hues_shared.events.outbox import record_event
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import Conflict, NotFound, UnprocessableContent
from hues_shared.types import utcnow


def to_out(offering: Offering, provider: Provider, *, at: datetime | None = None) -> OfferingOut:
    weekly, exceptions = opening.schedule_of(offering.opening_hours, offering.hour_exceptions)
    return OfferingOut.model_validate(
        {
            **{c: getattr(offering, c) for c in OfferingOut.model_fields if hasattr(offering, c)},
            "provider": ProviderBadge(id=provider.id, name=provider.name, verified=provider.verified),
            "open_now": opening.is_open(weekly, exceptions, at or utcnow()) if weekly or exceptions else None,
            "rating_average": round(offering.rating_sum / offering.rating_count, 2)
            if offering.rating_count
            else None,
        }
    )


def is_public(offering: Offering, provider: Provider) -> bool:
    return offering.status == OfferingStatus.PUBLISHED and provider.status == ProviderStatus.ACTIVE


async def _validate_references(session: AsyncSession, data: OfferingIn) -> str:
    """The category exists and fits the kind; the ward is one of Hue's. Returns the category's names."""
    category = await categories.get(session, code=data.category_code)
    if category is None:
        raise UnprocessableContent("Unknown category (see GET /v1/categories).", slug="unknown-category")
    if category.kind != data.kind:
        raise UnprocessableContent(
            f"Category {category.code} holds offerings of kind {category.kind}.",
            slug="category-kind-mismatch",
        )
    if data.ward_code is not None and data.ward_code not in hue_ward_names():
        raise UnprocessableContent("Not a ward or commune of Hue.", slug="unknown-ward")
    return f"{category.name_vi} {category.name_en}"


async def _write_derived(
    session: AsyncSession, offering: Offering, provider: Provider, category_names: str
) -> None:
    """Search text and open-now slots follow the offering's content."""
    ward = hue_ward_names().get(offering.ward_code or "", "")
    parts = [
        provider.name,
        category_names,
        offering.address,
        ward,
        offering.procedure_code,
        offering.description,
    ]
    offering.search_title = fold(offering.title)[:200]
    offering.search_extra = " ".join(p for p in parts if p)
    weekly, exceptions = opening.schedule_of(offering.opening_hours, offering.hour_exceptions)
    await repository.replace_hours(
        session,
        offering_id=offering.id,
        slots=opening.weekly_slots(weekly),
        exception_days=sorted(exceptions),
        exception_slots=opening.exception_slots(exceptions),
    )
    await session.flush()
    await search_index.index_offering(
        session, offering_id=offering.id, title=offering.title, extra=offering.search_extra
    )


async def create_offering(
    session: AsyncSession, *, provider_id: str, data: OfferingIn, principal: Principal
) -> OfferingOut:
    """The provider's staff publish an offering (Art. 6.4, 6.5, 13.1)."""
    provider = await providers.get_managed_provider(session, provider_id=provider_id, principal=principal)
    if provider.status != ProviderStatus.ACTIVE:
        raise Conflict("A suspended provider cannot publish offerings.", slug="provider-suspended")
    category_names = await _validate_references(session, data)
    now = utcnow()
    offering = Offering(
        **data.model_dump(mode="json"),
        provider_id=provider.id,
        status=OfferingStatus.PUBLISHED,
        rating_count=0,
        rating_sum=0,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await repository.create(session, offering=offering)
    await _write_derived(session, offering, provider, category_names)
    await record_event(
        session,
        tables,
        OfferingPublished(
            offering_id=offering.id,
            provider_id=provider.id,
            kind=offering.kind,
            category_code=offering.category_code,
            title=offering.title,
            ward_code=offering.ward_code,
            published_at=now,
        ),
    )
    return to_out(offering, provider)


async def get_offering_with_provider(session: AsyncSession, *, offering_id: str) -> tuple[Offering, Provider]:
    offering = await repository.get(session, offering_id=offering_id)
    provider = (
        None if offering is None else await provider_repository.get(session, provider_id=offering.provider_id)
    )
    if offering is None or provider is None:
        raise NotFound(f"No offering {offering_id}.")
    return offering, provider


async def get_visible_offering(
    session: AsyncSession, *, offering_id: str, principal: Principal | None
) -> tuple[Offering, Provider]:
    """Public offerings for all; suspended or withdrawn ones only for their staff, DIC and IOC (else 404)."""
    offering, provider = await get_offering_with_provider(session, offering_id=offering_id)
    if not (is_public(offering, provider) or can_manage(principal, provider) or oversees_catalog(principal)):
        raise NotFound(f"No offering {offering_id}.")
    return offering, provider


async def get_provider_offerings(
    session: AsyncSession, *, provider_id: str, principal: Principal | None, cursor: str | None, limit: int
) -> Page[OfferingOut]:
    provider = await providers.get_visible_provider(session, provider_id=provider_id, principal=principal)
    staff = can_manage(principal, provider) or oversees_catalog(principal)
    values = decode_cursor(cursor)
    rows = await repository.get_by_provider(
        session,
        provider_id=provider.id,
        statuses=None if staff else [OfferingStatus.PUBLISHED],
        after=(str(values[0]), str(values[1])) if values and len(values) == 2 else None,
        limit=limit + 1,
    )
    items = [to_out(o, provider) for o in rows[:limit]]
    return Page(
        items=items, next_cursor=encode_cursor([items[-1].title, items[-1].id]) if len(rows) > limit else None
    )


async def reindex_provider_offerings(session: AsyncSession, *, provider_id: str) -> None:
    """The provider's name is part of its offerings' search text: rewrite it after a profile change."""
    provider = await provider_repository.get(session, provider_id=provider_id)
    if provider is None:
        return
    for offering in await repository.get_by_provider(
        session, provider_id=provider_id, statuses=None, after=None, limit=None
    ):
        category = await categories.get(session, code=offering.category_code)
        names = f"{category.name_vi} {category.name_en}" if category else ""
        await _write_derived(session, offering, provider, names)


async def _record_update(session: AsyncSession, offering: Offering) -> None:
    offering.version += 1
    offering.updated_at = utcnow()
    await record_event(
        session,
        tables,
        OfferingUpdated(
            offering_id=offering.id,
            provider_id=offering.provider_id,
            title=offering.title,
            category_code=offering.category_code,
            ward_code=offering.ward_code,
            status=offering.status,
            updated_at=offering.updated_at,
        ),
    )


async def update_offering(
    session: AsyncSession,
    *,
    offering_id: str,
    data: OfferingUpdateIn,
    if_match: str | None,
    principal: Principal,
) -> OfferingOut:
    """Only the provider's own staff edit (Art. 13.1), from the version they read (If-Match)."""
    offering, provider = await get_offering_with_provider(session, offering_id=offering_id)
    ensure_can_manage(principal, provider)
    ensure_if_match(if_match, offering.version)
    if offering.status == OfferingStatus.WITHDRAWN:
        raise Conflict("A withdrawn offering cannot be edited; publish a new one.", slug="offering-withdrawn")
    current = OfferingIn.model_fields.keys()
    merged = {field: getattr(offering, field) for field in current} | data.model_dump(
        mode="json", exclude_unset=True
    )
    try:
        checked = OfferingIn.model_validate(merged)
    except ValueError as exc:
        raise UnprocessableContent(
            f"The edited offering is not valid: {exc}", slug="invalid-offering"
        ) from exc
    category_names = await _validate_references(session, checked)
    for field, value in checked.model_dump(mode="json").items():
        setattr(offering, field, value)
    await _write_derived(session, offering, provider, category_names)
    await _record_update(session, offering)
    return to_out(offering, provider)


async def _take_down(
    session: AsyncSession, offering: Offering, *, status: OfferingStatus, reason: str, by: str
) -> None:
    offering.status, offering.suspension_reason = status, reason
    offering.version, offering.updated_at = offering.version + 1, utcnow()
    await record_event(
        session,
        tables,
        OfferingSuspended(
            offering_id=offering.id,
            provider_id=offering.provider_id,
            reason=reason,
            by=by,
            suspended_at=offering.updated_at,
        ),
    )


async def withdraw_offering(session: AsyncSession, *, offering_id: str, principal: Principal) -> OfferingOut:
    """The provider's staff take their offering off the catalogue."""
    offering, provider = await get_offering_with_provider(session, offering_id=offering_id)
    ensure_can_manage(principal, provider)
    if offering.status == OfferingStatus.WITHDRAWN:
        raise Conflict("The offering is already withdrawn.", slug="offering-withdrawn")
    await _take_down(
        session, offering, status=OfferingStatus.WITHDRAWN, reason="withdrawn by provider", by="provider"
    )
    return to_out(offering, provider)


async def suspend_offering(session: AsyncSession, *, offering_id: str, reason: str) -> OfferingOut:
    """IOC moderation: the offering leaves search until reinstated (Art. 17.2)."""
    offering, provider = await get_offering_with_provider(session, offering_id=offering_id)
    if offering.status != OfferingStatus.PUBLISHED:
        raise Conflict(f"The offering is {offering.status}, not published.", slug="offering-not-published")
    await _take_down(session, offering, status=OfferingStatus.SUSPENDED, reason=reason, by="moderation")
    return to_out(offering, provider)


async def reinstate_offering(session: AsyncSession, *, offering_id: str) -> OfferingOut:
    offering, provider = await get_offering_with_provider(session, offering_id=offering_id)
    if offering.status != OfferingStatus.SUSPENDED:
        raise Conflict("Only a suspended offering can be reinstated.", slug="offering-not-suspended")
    offering.status, offering.suspension_reason = OfferingStatus.PUBLISHED, None
    await _record_update(session, offering)
    return to_out(offering, provider)
