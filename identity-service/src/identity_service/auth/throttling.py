"""Brute-force protection with progressive delay (modelled on Keycloak's brute-force detector).

Failures are counted per key within a window. Once a key reaches its threshold, each further failure
doubles the wait (`base`, `2*base`, ... up to `max_wait`); there is no permanent lockout, so nobody
can lock a victim out for good by failing on purpose (issue 7, item 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.types import utcnow
from identity_service.accounts.identifiers import canonical_login_name
from identity_service.auth import repository
from identity_service.components import IdentityComponents
from identity_service.config import IdentitySettings


@dataclass(frozen=True)
class Rule:
    """`threshold` failures within `window` start a wait: `base`, doubled per failure, at most `max_wait`."""

    threshold: int
    window: timedelta
    base: timedelta
    max_wait: timedelta

    def wait_after(self, failures: int) -> timedelta | None:
        if failures < self.threshold:
            return None
        doublings = min(failures - self.threshold, 30)
        return min(self.base * (2**doublings), self.max_wait)


async def locked_until(session: AsyncSession, *, key: str) -> datetime | None:
    throttle = await repository.peek(session, key=key)
    if throttle is None or throttle.locked_until is None or throttle.locked_until <= utcnow():
        return None
    return throttle.locked_until


async def failures(session: AsyncSession, *, key: str, window: timedelta) -> int:
    """Failures of `key` in its current window (0 once the window has passed)."""
    throttle = await repository.peek(session, key=key)
    if throttle is None or throttle.window_started_at + window <= utcnow():
        return 0
    return throttle.failures


async def record_failure(session: AsyncSession, *, key: str, rule: Rule) -> datetime | None:
    """Count one failure; returns the end of the wait this failure started (None below the threshold).

    A failure while a wait runs still counts (and lengthens the next wait); the count starts again only
    when the window has passed since its first failure.
    """
    now = utcnow()
    throttle = await repository.get_or_create(session, key=key, now=now)
    if throttle.window_started_at + rule.window <= now:
        throttle.failures, throttle.window_started_at, throttle.locked_until = 0, now, None
    throttle.failures += 1
    wait = rule.wait_after(throttle.failures)
    if wait is None:
        return None
    throttle.locked_until = max(throttle.locked_until or now, now + wait)
    return throttle.locked_until


async def clear(session: AsyncSession, *, key: str) -> None:
    await repository.delete(session, key=key)


@dataclass(frozen=True)
class LoginKeys:
    """Throttle keys of one sign-in attempt: the login name, the (login name, address) pair, the address.

    Keys come from the normalised login name, never from the account: an unknown name and an existing
    one count alike, and failures under one login name say nothing about the account's other login
    names (issue 7, item 5).
    """

    name: str
    pair: str | None
    address: str | None


def login_name_digest(components: IdentityComponents, username: str) -> str:
    return components.cipher.blind_index("login", canonical_login_name(username))


def login_keys(components: IdentityComponents, *, username: str, client_address: str | None) -> LoginKeys:
    digest = login_name_digest(components, username)
    if client_address is None:
        return LoginKeys(name=f"name:{digest}", pair=None, address=None)
    address_digest = components.cipher.blind_index("login-address", client_address)
    return LoginKeys(
        name=f"name:{digest}",
        pair=f"pair:{digest[:40]}:{address_digest[:40]}",
        address=f"address:{client_address}",
    )


def name_rule(settings: IdentitySettings) -> Rule:
    return Rule(
        threshold=settings.login_max_failures_per_account,
        window=timedelta(seconds=settings.login_failure_reset_seconds),
        base=timedelta(seconds=settings.login_delay_base_seconds),
        max_wait=timedelta(seconds=settings.login_lockout_seconds),
    )


def address_rule(settings: IdentitySettings) -> Rule:
    lockout = timedelta(seconds=settings.login_lockout_seconds)
    return Rule(
        threshold=settings.login_max_failures_per_address,
        window=timedelta(seconds=settings.login_failure_window_seconds),
        base=lockout,
        max_wait=lockout,
    )


async def must_wait(session: AsyncSession, settings: IdentitySettings, keys: LoginKeys) -> bool:
    """True when this attempt is refused before its password is checked.

    The address over its ceiling waits; so does an address whose own failures on this login name
    started a delay; while the login name as a whole is delayed, only addresses that failed on it
    wait: the owner, from an address with no failures, still gets in with the right password.
    """
    if keys.address and await locked_until(session, key=keys.address) is not None:
        return True
    if keys.pair and await locked_until(session, key=keys.pair) is not None:
        return True
    if await locked_until(session, key=keys.name) is None:
        return False
    if keys.pair is None:
        return True
    return await failures(session, key=keys.pair, window=name_rule(settings).window) > 0


async def record_login_failure(
    session: AsyncSession, settings: IdentitySettings, keys: LoginKeys
) -> datetime | None:
    """Count a failure on every key; returns when the login name's delay ends, if this started one."""
    if keys.address:
        await record_failure(session, key=keys.address, rule=address_rule(settings))
    if keys.pair:
        await record_failure(session, key=keys.pair, rule=name_rule(settings))
    return await record_failure(session, key=keys.name, rule=name_rule(settings))


async def clear_login_name(session: AsyncSession, *, digest: str) -> None:
    """Forget every count of one login name (after a good sign-in, or a DIC unlock)."""
    await repository.delete(session, key=f"name:{digest}")
    await repository.delete_prefix(session, prefix=f"pair:{digest[:40]}:")
