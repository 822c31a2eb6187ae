"""Who may act on a provider (Art. 13.1): its own staff only, the DIC and IOC for oversight.

Staff link: an agency provider carries the identity `unit_id` of its agency; its officers hold
`catalog.offering.manage@<unit_id>` in their token (granted per unit by the DIC, Art. 15.1). An
enterprise/organization provider is owned by one organization account (Art. 8.1): `owner_account_id`.
A bare (platform-wide) grant of `catalog.offering.manage` covers every provider.
"""

from __future__ import annotations

from catalog_service.providers.models import Provider
from hues_shared.auth.principal import Principal, Role, ensure_permission_in_unit
from hues_shared.permissions import CATALOG_MODERATE, OFFERING_MANAGE, PROVIDER_MANAGE
from hues_shared.problems import Forbidden


def may_manage_some_provider(principal: Principal) -> bool:
    """Function-level check: an organization account, or `catalog.offering.manage` held somewhere."""
    return principal.has_role(Role.ORGANIZATION) or principal.holds_anywhere(OFFERING_MANAGE)


def can_manage(principal: Principal | None, provider: Provider) -> bool:
    if principal is None:
        return False
    if provider.owner_account_id is not None and principal.account_id == provider.owner_account_id:
        return True
    return principal.holds(OFFERING_MANAGE, unit_id=provider.unit_id)


def ensure_can_manage(principal: Principal, provider: Provider) -> None:
    """Object-level check on every write to a provider's profile, offerings or replies."""
    if provider.owner_account_id is not None and principal.account_id == provider.owner_account_id:
        return
    if provider.unit_id is None and not principal.holds(OFFERING_MANAGE):
        raise Forbidden("Only this provider's own staff manage it (Art. 13.1).", slug="not-your-provider")
    ensure_permission_in_unit(principal, OFFERING_MANAGE, provider.unit_id)


def oversees_catalog(principal: Principal | None) -> bool:
    """The DIC (providers) and the IOC (moderation) see suspended content too."""
    return principal is not None and (principal.holds(PROVIDER_MANAGE) or principal.holds(CATALOG_MODERATE))
