"""Caller dependencies shared by catalog-service's modules."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from catalog_service.providers.authorization import may_manage_some_provider
from hues_shared.auth.principal import (
    CurrentPrincipal,
    Principal,
    ensure_permission_in_unit,
    optional_principal,
)
from hues_shared.permissions import CATALOG_MODERATE, PROVIDER_MANAGE
from hues_shared.problems import Forbidden

OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


async def _provider_staff(principal: CurrentPrincipal) -> Principal:
    if not may_manage_some_provider(principal):
        raise Forbidden(
            "Only a provider's own staff manage its catalogue (catalog.offering.manage, Art. 13.1).",
            slug="not-provider-staff",
        )
    return principal


async def _catalog_administrator(principal: CurrentPrincipal) -> Principal:
    # A platform function (Art. 13.2, 15.1): only a bare, platform-wide grant counts.
    ensure_permission_in_unit(principal, PROVIDER_MANAGE, None)
    return principal


async def _moderator(principal: CurrentPrincipal) -> Principal:
    ensure_permission_in_unit(principal, CATALOG_MODERATE, None)
    return principal


ProviderStaff = Annotated[Principal, Depends(_provider_staff)]
CatalogAdministrator = Annotated[Principal, Depends(_catalog_administrator)]
Moderator = Annotated[Principal, Depends(_moderator)]
