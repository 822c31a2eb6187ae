"""Events published by identity-service (topic per aggregate: identity.account, identity.unit, ...)."""

from __future__ import annotations

from datetime import datetime

from hues_shared.events.contracts import EventContract, contract

PRODUCER = "identity-service"


@contract(type="hues.identity.account.registered", topic="identity.account", key="account_id", producer=PRODUCER)
class AccountRegistered(EventContract):
    """A citizen or organization registered an account; it is pending until verified (Art. 7.1, 8.1)."""

    account_id: str
    kind: str
    display_name: str
    home_ward_code: str | None = None
    registered_at: datetime


@contract(type="hues.identity.account.verified", topic="identity.account", key="account_id", producer=PRODUCER)
class AccountVerified(EventContract):
    """An account confirmed its one-time code and can now log in."""

    account_id: str
    kind: str
    verified_at: datetime
