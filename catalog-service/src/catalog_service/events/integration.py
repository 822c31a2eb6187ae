"""Handlers for integration-service's events, ready to subscribe once its contracts exist (Art. 15.2).

`hues_shared/contracts/integration.py` is being written by integration-service; until it lands these
handlers take any event with the fields they read (a Protocol), so subscribing is one line each in
events/handlers.py, e.g. `handlers.on(IntegrationApproved)(provider_from_approval)`. Field names here
are the ones catalog needs; adapt the attribute reads if the contract names them differently.
"""

from __future__ import annotations

from typing import Protocol

from catalog_service.providers import service as providers
from catalog_service.providers.models import ProviderKind
from hues_shared.events.consumer import EventContext


class ApprovedIntegration(Protocol):
    integration_id: str
    partner_name: str
    partner_kind: str  # "agency" for a state unit's application (Art. 10), else an enterprise (Art. 11)
    owner_account_id: str | None  # the organization account that applied
    unit_id: str | None  # the agency's identity unit


class IntegrationStatusChange(Protocol):
    integration_id: str


class IntegrationSuspension(IntegrationStatusChange, Protocol):
    reason: str


async def provider_from_approval(event: ApprovedIntegration, ctx: EventContext) -> None:
    """The approved partner becomes a verified provider (idempotent by integration id)."""
    kind = ProviderKind.AGENCY if event.partner_kind == "agency" else ProviderKind.ENTERPRISE
    await providers.register_provider_from_integration(
        ctx.session,
        integration_id=event.integration_id,
        name=event.partner_name,
        kind=kind,
        owner_account_id=event.owner_account_id,
        unit_id=event.unit_id,
    )


async def provider_suspended_with_integration(event: IntegrationSuspension, ctx: EventContext) -> None:
    """The integration was suspended: its provider and offerings leave search."""
    await providers.suspend_provider_of_integration(
        ctx.session, integration_id=event.integration_id, reason=event.reason
    )


async def provider_reinstated_with_integration(event: IntegrationStatusChange, ctx: EventContext) -> None:
    """The integration was reinstated: its provider is found again."""
    await providers.reinstate_provider_of_integration(ctx.session, integration_id=event.integration_id)
