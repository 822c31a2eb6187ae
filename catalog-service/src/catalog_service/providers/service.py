"""Providers join the catalogue from the DIC (agencies) or from integration approvals (Art. 6.1, 15.2).

A suspended provider disappears from search and from public reads; reinstating it restores both.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.db import tables
from catalog_service.preconditions import ensure_if_match
from catalog_service.providers import repository
from catalog_service.providers.authorization import can_manage, ensure_can_manage, oversees_catalog
from catalog_service.providers.models import Provider, ProviderKind, ProviderStatus
from catalog_service.providers.schemas import ProviderCreateIn, ProviderOut, ProviderProfileIn
from hues_shared.auth.principal import Principal
from hues_shared.contracts.catalog import (
    ProviderPublished,
    ProviderReinstated,
    ProviderSuspended,
    ProviderUpdated,
)
from hues_shared.events.outbox import record_event
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import Conflict, NotFound
from hues_shared.types import utcnow


async def get_visible_provider(
    session: AsyncSession, *, provider_id: str, principal: Principal | None
) -> Provider:
    """The provider, or 404 when it does not exist or is suspended and the caller is not its staff/DIC/IOC."""
    provider = await repository.get(session, provider_id=provider_id)
    if provider is None or (
        provider.status != ProviderStatus.ACTIVE
        and not (can_manage(principal, provider) or oversees_catalog(principal))
    ):
        raise NotFound(f"No provider {provider_id}.")
    return provider


async def get_managed_provider(session: AsyncSession, *, provider_id: str, principal: Principal) -> Provider:
    """The provider the caller manages as its staff (Art. 13.1); 404 if unknown, 403 if not theirs."""
    provider = await repository.get(session, provider_id=provider_id)
    if provider is None:
        raise NotFound(f"No provider {provider_id}.")
    ensure_can_manage(principal, provider)
    return provider


async def get_providers(
    session: AsyncSession, *, cursor: str | None, limit: int, principal: Principal | None
) -> Page[ProviderOut]:
    values = decode_cursor(cursor)
    after = (str(values[0]), str(values[1])) if values and len(values) == 2 else None
    rows = await repository.get_all(
        session, after=after, limit=limit + 1, active_only=not oversees_catalog(principal)
    )
    items = [ProviderOut.model_validate(p) for p in rows[:limit]]
    next_cursor = encode_cursor([items[-1].name, items[-1].id]) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)


async def _publish(session: AsyncSession, provider: Provider) -> ProviderOut:
    await record_event(
        session,
        tables,
        ProviderPublished(
            provider_id=provider.id,
            name=provider.name,
            kind=provider.kind,
            unit_id=provider.unit_id,
            owner_account_id=provider.owner_account_id,
            integration_id=provider.integration_id,
            verified=provider.verified,
            published_at=provider.created_at,
        ),
    )
    return ProviderOut.model_validate(provider)


async def create_provider(session: AsyncSession, *, data: ProviderCreateIn) -> ProviderOut:
    """The DIC creates a provider for an agency (or an enterprise outside the integration flow)."""
    now = utcnow()
    values = data.model_dump(mode="json")
    provider = Provider(**values, status=ProviderStatus.ACTIVE, version=1, created_at=now, updated_at=now)
    return await _publish(session, await repository.create(session, provider=provider))


async def provider_from_approval(
    session: AsyncSession, *, application_id: str, owner_kind: str, owner_id: str, name: str | None
) -> ProviderOut:
    """An approved application (sandbox or production) makes its owner a verified provider (Art. 15.2).

    The provider is the owner's, one per organization account or unit: the application's own, else the
    owner's existing one (e.g. an agency's the DIC created, or one a retired application left), else a new
    one named after the application (integration does not know the organization's display name; its
    staff rename the provider, docs/catalog.md). Approving again changes nothing (idempotent).
    """
    agency = owner_kind == "unit"
    provider = await repository.get_by_integration(session, integration_id=application_id)
    if provider is None:
        provider = await repository.get_by_owner(session, owner_id=owner_id, unit=agency)
    if provider is None:
        now = utcnow()
        created = Provider(
            name=name or f"Đối tác {application_id[:8]}",
            kind=ProviderKind.AGENCY if agency else ProviderKind.ENTERPRISE,
            owner_account_id=None if agency else owner_id,
            unit_id=owner_id if agency else None,
            integration_id=application_id,
            verified=True,  # the DIC reviewed the integration (Art. 15.2)
            status=ProviderStatus.ACTIVE,
            version=1,
            created_at=now,
            updated_at=now,
        )
        return await _publish(session, await repository.create(session, provider=created))
    changed = not provider.verified
    provider.verified = True
    if provider.integration_id is None or provider.status == ProviderStatus.RETIRED:
        changed = True  # the application now drives the provider's status; a retired one comes back
        provider.integration_id = application_id
        if provider.status == ProviderStatus.RETIRED:
            provider.status = ProviderStatus.ACTIVE  # a suspended one stays so (DIC or owner closed)
    return await _updated(session, provider) if changed else ProviderOut.model_validate(provider)


async def suspend_provider_of_integration(session: AsyncSession, *, integration_id: str, reason: str) -> None:
    """The integration was suspended: its provider leaves search (idempotent; unknown ids are ignored)."""
    provider = await repository.get_by_integration(session, integration_id=integration_id)
    if provider is not None and provider.status == ProviderStatus.ACTIVE:
        await _suspend(session, provider, reason)


async def reinstate_provider_of_integration(session: AsyncSession, *, integration_id: str) -> None:
    provider = await repository.get_by_integration(session, integration_id=integration_id)
    if provider is not None and provider.status == ProviderStatus.SUSPENDED:
        await _reinstate(session, provider)


async def retire_provider_of_integration(session: AsyncSession, *, integration_id: str) -> None:
    """The application was retired (final): its provider leaves the catalogue; a later approval of another
    application of the same owner brings it back."""
    provider = await repository.get_by_integration(session, integration_id=integration_id)
    if provider is not None and provider.status != ProviderStatus.RETIRED:
        provider.status, provider.suspension_reason = ProviderStatus.RETIRED, None
        await _updated(session, provider)


async def suspend_providers_of_closed_account(session: AsyncSession, *, account_id: str) -> None:
    """A closed organization account can no longer answer for its provider (Art. 11): suspend it."""
    for provider in await repository.get_active_by_owner(session, owner_account_id=account_id):
        await _suspend(session, provider, "owner account closed")


async def _updated(session: AsyncSession, provider: Provider) -> ProviderOut:
    provider.version += 1
    provider.updated_at = utcnow()
    await record_event(
        session,
        tables,
        ProviderUpdated(
            provider_id=provider.id,
            name=provider.name,
            verified=provider.verified,
            status=provider.status,
            updated_at=provider.updated_at,
        ),
    )
    return ProviderOut.model_validate(provider)


async def update_profile(
    session: AsyncSession,
    *,
    provider_id: str,
    data: ProviderProfileIn,
    if_match: str | None,
    principal: Principal,
) -> ProviderOut:
    """The provider's own staff edit its profile (Art. 13.1)."""
    provider = await get_managed_provider(session, provider_id=provider_id, principal=principal)
    ensure_if_match(if_match, provider.version)
    for field, value in data.model_dump(mode="json", exclude_unset=True).items():
        if field == "name" and value is None:
            continue
        setattr(provider, field, value)
    return await _updated(session, provider)


async def set_verified(session: AsyncSession, *, provider_id: str, verified: bool) -> ProviderOut:
    """The DIC sets or removes the verified mark."""
    provider = await repository.get(session, provider_id=provider_id)
    if provider is None:
        raise NotFound(f"No provider {provider_id}.")
    provider.verified = verified
    return await _updated(session, provider)


async def _suspend(session: AsyncSession, provider: Provider, reason: str) -> None:
    now = utcnow()
    provider.status, provider.suspension_reason = ProviderStatus.SUSPENDED, reason
    provider.version, provider.updated_at = provider.version + 1, now
    await record_event(
        session, tables, ProviderSuspended(provider_id=provider.id, reason=reason, suspended_at=now)
    )


async def _reinstate(session: AsyncSession, provider: Provider) -> None:
    now = utcnow()
    provider.status, provider.suspension_reason = ProviderStatus.ACTIVE, None
    provider.version, provider.updated_at = provider.version + 1, now
    await record_event(session, tables, ProviderReinstated(provider_id=provider.id, reinstated_at=now))


def _ensure_not_retired(provider: Provider) -> None:
    if provider.status == ProviderStatus.RETIRED:
        raise Conflict("The provider's integration was retired; this is final.", slug="provider-retired")


async def suspend_provider(session: AsyncSession, *, provider_id: str, reason: str) -> ProviderOut:
    """The DIC suspends a provider: hidden from search and public reads until reinstated."""
    provider = await repository.get(session, provider_id=provider_id)
    if provider is None:
        raise NotFound(f"No provider {provider_id}.")
    if provider.status == ProviderStatus.SUSPENDED:
        raise Conflict("The provider is already suspended.", slug="provider-already-suspended")
    _ensure_not_retired(provider)
    await _suspend(session, provider, reason)
    return ProviderOut.model_validate(provider)


async def reinstate_provider(session: AsyncSession, *, provider_id: str) -> ProviderOut:
    provider = await repository.get(session, provider_id=provider_id)
    if provider is None:
        raise NotFound(f"No provider {provider_id}.")
    _ensure_not_retired(provider)
    if provider.status == ProviderStatus.ACTIVE:
        raise Conflict("The provider is not suspended.", slug="provider-not-suspended")
    await _reinstate(session, provider)
    return ProviderOut.model_validate(provider)
