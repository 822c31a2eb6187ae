"""Events published by identity-service.

Topics per aggregate: `identity.account` (key account_id), `identity.unit` (key unit_id).
The gateway consumes the security events (locked, closed, session revoked, permission/role
revoked, password changed) to refuse older tokens within seconds instead of at their expiry.
"""

from __future__ import annotations

from datetime import datetime

from hues_shared.events.contracts import EventContract, contract

PRODUCER = "identity-service"
ACCOUNT_TOPIC = "identity.account"
UNIT_TOPIC = "identity.unit"


@contract(type="hues.identity.account.registered", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class AccountRegistered(EventContract):
    """A citizen or organization registered; the account stays pending until verified (Art. 7.1, 8.1)."""

    account_id: str
    kind: str  # citizen | organization | staff
    display_name: str
    home_ward_code: str | None = None
    language: str | None = None  # vi | en; None: the app's default (Vietnamese)
    registered_at: datetime


@contract(type="hues.identity.account.verified", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class AccountVerified(EventContract):
    """An account confirmed its one-time code and can now log in."""

    account_id: str
    kind: str
    verified_at: datetime


@contract(type="hues.identity.account.locked", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class AccountLocked(EventContract):
    """An account was locked by the DIC (Art. 13.2); its tokens stop working (failed sign-ins only delay)."""

    account_id: str
    reason: str
    locked_until: datetime | None = None  # None: until unlocked by an administrator
    locked_at: datetime


@contract(type="hues.identity.account.unlocked", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class AccountUnlocked(EventContract):
    """A locked account may log in again (tokens issued before the lock stay invalid)."""

    account_id: str
    unlocked_at: datetime


@contract(type="hues.identity.account.closed", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class AccountClosed(EventContract):
    """An account was closed and its personal data erased (Law 91/2025); other services erase theirs too."""

    account_id: str
    closed_at: datetime


@contract(type="hues.identity.profile.changed", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class ProfileChanged(EventContract):
    """An account's home ward or language changed (notification-service targets and words messages so)."""

    account_id: str
    home_ward_code: str | None = None
    language: str | None = None
    changed_at: datetime


@contract(type="hues.identity.password.changed", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class PasswordChanged(EventContract):
    """The account's password changed; tokens issued before `changed_at` are no longer accepted."""

    account_id: str
    changed_at: datetime


@contract(type="hues.identity.password.expiring", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class PasswordExpiring(EventContract):
    """Reminder: the password expires soon (changed at least every 90 days, Art. 9.1)."""

    account_id: str
    expires_at: datetime
    days_left: int


@contract(type="hues.identity.session.revoked", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class SessionRevoked(EventContract):
    """A session (or, with session_id None, every session of the account) was ended: logout, reuse, admin."""

    account_id: str
    session_id: str | None = None
    reason: str
    revoked_at: datetime


@contract(type="hues.identity.role.granted", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class RoleGranted(EventContract):
    """A staff role was assigned to an account, scoped to a unit."""

    account_id: str
    role: str
    unit_id: str | None = None
    granted_by: str
    granted_at: datetime


@contract(type="hues.identity.role.revoked", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class RoleRevoked(EventContract):
    """A staff role was taken away; tokens issued before `revoked_at` are no longer accepted."""

    account_id: str
    role: str
    unit_id: str | None = None
    revoked_by: str
    revoked_at: datetime


@contract(type="hues.identity.permission.granted", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class PermissionGranted(EventContract):
    """The DIC granted a function permission (Art. 15.1) to an account, optionally within a unit."""

    account_id: str
    permission: str
    unit_id: str | None = None
    granted_by: str
    granted_at: datetime


@contract(type="hues.identity.permission.revoked", topic=ACCOUNT_TOPIC, key="account_id", producer=PRODUCER)
class PermissionRevoked(EventContract):
    """The DIC revoked a function permission; tokens issued before `revoked_at` are no longer accepted."""

    account_id: str
    permission: str
    unit_id: str | None = None
    revoked_by: str
    revoked_at: datetime


@contract(type="hues.identity.unit.created", topic=UNIT_TOPIC, key="unit_id", producer=PRODUCER)
class UnitCreated(EventContract):
    """A unit (state agency, ward/commune People's Committee, public service unit, DIC, IOC) was created."""

    unit_id: str
    code: str
    name: str
    kind: str
    ward_code: str | None = None
    parent_unit_id: str | None = None
    created_at: datetime


@contract(type="hues.identity.unit.updated", topic=UNIT_TOPIC, key="unit_id", producer=PRODUCER)
class UnitUpdated(EventContract):
    """A unit's name, kind or status changed."""

    unit_id: str
    code: str
    name: str
    kind: str
    active: bool
    updated_at: datetime


MESSAGE_TOPIC = "identity.message"


@contract(type="hues.identity.message.queued", topic=MESSAGE_TOPIC, key="message_id", producer=PRODUCER)
class MessageQueued(EventContract):
    """identity queued a text for a phone or e-mail (one-time code, temporary password, notice); its own
    handler sends it through the provider after the request committed, once per message. The text
    itself stays in identity's database, encrypted, and never travels on the bus."""

    message_id: str
    account_id: str | None = None
    channel: str  # sms | email
    purpose: str  # verify_account | staff_temporary_password | password_reset | registration_attempt | ...
    queued_at: datetime
