"""Identity's security events reach every gateway replica and refuse the affected tokens within seconds."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from jose import jwt

from hues_shared.contracts.identity import (
    AccountClosed,
    AccountLocked,
    AccountUnlocked,
    PasswordChanged,
    PermissionRevoked,
    RoleRevoked,
    SessionRevoked,
)
from hues_shared.events.bus import InMemoryBus
from hues_shared.events.contracts import EventContract
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.tokens import SigningKeys, bearer

INBOX = "/v1/notification/inbox"


def now() -> datetime:
    return datetime.now(UTC)


async def publish(bus: InMemoryBus, event: EventContract) -> None:
    await bus.publish([envelope_for(event, source="/hues/identity-service")])


async def status_within(client: httpx.AsyncClient, token: str, expected: int, *, seconds: float = 3.0) -> int:
    """Poll until the gateway answers `expected` (revocations are asynchronous), or give up."""
    deadline = time.monotonic() + seconds
    while True:
        status = (await client.get(INBOX, headers=bearer(token))).status_code
        if status == expected or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.05)


async def all_applied_before_now(gateway: Any, keys: SigningKeys) -> None:
    """Publish a marker revocation after the events under test and wait until it takes effect: the
    listener applies events in order, so everything published earlier has been applied (or ignored).
    A dead or slow listener fails here instead of letting a "nothing changed" assertion pass."""
    marker_account = f"acc-marker-{uuid.uuid4().hex[:8]}"
    marker = keys.token(sub=marker_account)
    await publish(gateway.bus, AccountLocked(account_id=marker_account, reason="marker", locked_at=now()))
    assert await status_within(gateway.client, marker, 401) == 401, "the marker event was never applied"


def old_token(keys: SigningKeys, *, sub: str, age: int = 5, **claims: Any) -> str:
    """A token issued `age` seconds ago (an event after it must revoke it)."""
    token = keys.token(sub=sub, **claims)
    decoded = jwt.get_unverified_claims(token)
    decoded["iat"] = decoded["nbf"] = decoded["iat"] - age
    return str(jwt.encode(decoded, keys.private_pem.decode(), algorithm="ES256", headers={"kid": keys.kid}))


async def test_revoked_session_is_refused(gateway: Any, test_keys: SigningKeys) -> None:
    token = test_keys.token(sub="acc-s")
    sid = jwt.get_unverified_claims(token)["sid"]
    other_session = test_keys.token(sub="acc-s")
    assert (await gateway.client.get(INBOX, headers=bearer(token))).status_code == 200
    await publish(
        gateway.bus, SessionRevoked(account_id="acc-s", session_id=sid, reason="logout", revoked_at=now())
    )
    assert await status_within(gateway.client, token, 401) == 401
    response = await gateway.client.get(INBOX, headers=bearer(token))
    assert response.json()["type"].endswith("/token-revoked")
    assert (await gateway.client.get(INBOX, headers=bearer(other_session))).status_code == 200


async def test_locked_account_tokens_are_refused_even_after_unlock(
    gateway: Any, test_keys: SigningKeys
) -> None:
    token = test_keys.token(
        sub="acc-l"
    )  # issued this very second: a lock in the same second still refuses it
    await publish(gateway.bus, AccountLocked(account_id="acc-l", reason="dic", locked_at=now()))
    assert await status_within(gateway.client, token, 401) == 401
    await publish(gateway.bus, AccountUnlocked(account_id="acc-l", unlocked_at=now()))
    await all_applied_before_now(gateway, test_keys)
    assert (await gateway.client.get(INBOX, headers=bearer(token))).status_code == 401


async def test_closed_account_tokens_are_refused(gateway: Any, test_keys: SigningKeys) -> None:
    token = test_keys.token(sub="acc-c")
    await publish(gateway.bus, AccountClosed(account_id="acc-c", closed_at=now()))
    assert await status_within(gateway.client, token, 401) == 401


async def test_password_change_refuses_older_tokens_but_not_the_next_one(
    gateway: Any, test_keys: SigningKeys
) -> None:
    before = old_token(test_keys, sub="acc-p")
    await publish(gateway.bus, PasswordChanged(account_id="acc-p", changed_at=now()))
    assert await status_within(gateway.client, before, 401) == 401
    after = test_keys.token(sub="acc-p")
    assert (await gateway.client.get(INBOX, headers=bearer(after))).status_code == 200


async def test_logout_everywhere_refuses_every_session(gateway: Any, test_keys: SigningKeys) -> None:
    phone, laptop = old_token(test_keys, sub="acc-all"), old_token(test_keys, sub="acc-all")
    await publish(
        gateway.bus, SessionRevoked(account_id="acc-all", session_id=None, reason="all", revoked_at=now())
    )
    assert await status_within(gateway.client, phone, 401) == 401
    assert (await gateway.client.get(INBOX, headers=bearer(laptop))).status_code == 401


async def test_revoked_role_refuses_every_older_token_of_the_account_but_not_the_next(
    gateway: Any, test_keys: SigningKeys
) -> None:
    """The gateway does not read roles out of tokens: a revoked role refuses all the account's older
    tokens, with the role or without it (the next login gets a token without it), and nobody else's."""
    with_role = old_token(test_keys, sub="acc-r", roles=["agency_officer"], kind="staff")
    without_role = old_token(test_keys, sub="acc-r", roles=["citizen"])
    bystander = old_token(test_keys, sub="acc-r-bystander", roles=["agency_officer"], kind="staff")
    await publish(
        gateway.bus,
        RoleRevoked(account_id="acc-r", role="agency_officer", revoked_by="dic-1", revoked_at=now()),
    )
    assert await status_within(gateway.client, with_role, 401) == 401
    assert (await gateway.client.get(INBOX, headers=bearer(without_role))).status_code == 401
    next_token = test_keys.token(sub="acc-r", roles=["citizen"])
    assert (await gateway.client.get(INBOX, headers=bearer(next_token))).status_code == 200
    assert (await gateway.client.get(INBOX, headers=bearer(bystander))).status_code == 200


async def test_revoked_permission_refuses_every_older_token_of_the_account_but_not_the_next(
    gateway: Any, test_keys: SigningKeys
) -> None:
    with_grant = old_token(test_keys, sub="acc-g", permissions=["feedback.report.process"])
    without_grant = old_token(test_keys, sub="acc-g")
    bystander = old_token(test_keys, sub="acc-g-bystander", permissions=["feedback.report.process"])
    await publish(
        gateway.bus,
        PermissionRevoked(
            account_id="acc-g", permission="feedback.report.process", revoked_by="dic-1", revoked_at=now()
        ),
    )
    assert await status_within(gateway.client, with_grant, 401) == 401
    assert (await gateway.client.get(INBOX, headers=bearer(without_grant))).status_code == 401
    next_token = test_keys.token(sub="acc-g")
    assert (await gateway.client.get(INBOX, headers=bearer(next_token))).status_code == 200
    assert (await gateway.client.get(INBOX, headers=bearer(bystander))).status_code == 200


async def test_other_accounts_are_unaffected(gateway: Any, test_keys: SigningKeys) -> None:
    bystander = test_keys.token(sub="acc-bystander")
    await publish(gateway.bus, AccountLocked(account_id="acc-x", reason="dic", locked_at=now()))
    await all_applied_before_now(gateway, test_keys)
    assert (await gateway.client.get(INBOX, headers=bearer(bystander))).status_code == 200


async def test_every_replica_sees_every_revocation(make_gateway: Any, test_keys: SigningKeys) -> None:
    bus = InMemoryBus()
    first, second = await make_gateway(bus=bus), await make_gateway(bus=bus)
    token = test_keys.token(sub="acc-two")
    await publish(bus, AccountLocked(account_id="acc-two", reason="dic", locked_at=now()))
    assert await status_within(first.client, token, 401) == 401
    assert await status_within(second.client, token, 401) == 401


async def test_stale_event_older_than_token_lifetime_changes_nothing(
    gateway: Any, test_keys: SigningKeys
) -> None:
    token = test_keys.token(sub="acc-old")
    long_ago = now() - timedelta(hours=2)
    await publish(gateway.bus, PasswordChanged(account_id="acc-old", changed_at=long_ago))
    await all_applied_before_now(gateway, test_keys)
    assert (await gateway.client.get(INBOX, headers=bearer(token))).status_code == 200


async def test_new_replica_learns_past_revocations_from_redis(
    make_gateway: Any, test_keys: SigningKeys, redis_url: str
) -> None:
    prefix = f"test:{uuid.uuid4().hex}"
    token = test_keys.token(sub="acc-redis")
    sid = jwt.get_unverified_claims(token)["sid"]
    first = await make_gateway(redis_url=redis_url, redis_key_prefix=prefix)
    await publish(
        first.bus, SessionRevoked(account_id="acc-redis", session_id=sid, reason="x", revoked_at=now())
    )
    assert await status_within(first.client, token, 401) == 401
    late = await make_gateway(redis_url=redis_url, redis_key_prefix=prefix)  # its own bus: missed the event
    assert (await late.client.get(INBOX, headers=bearer(token))).status_code == 401


async def test_readyz_turns_503_when_the_revocation_listener_stops(make_gateway: Any) -> None:
    gateway = await make_gateway()
    assert (await gateway.client.get("/readyz")).status_code == 200
    await (
        gateway.runtime.revocations.stop()
    )  # today's code kept answering 200: revocations failed open silently
    ready = await gateway.client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["revocations"] == "unavailable"


async def test_readyz_turns_503_within_the_staleness_bound_when_the_bus_goes_silent(
    make_gateway: Any,
) -> None:
    gateway = await make_gateway(revocation_max_staleness_seconds=0.5)
    gateway.bus.available = False  # the listener's probes fail from now on
    started = time.monotonic()
    while (await gateway.client.get("/readyz")).json()["checks"]["revocations"] == "ok":
        assert time.monotonic() - started < 2.0, "readiness did not notice the silent revocation feed"
        await asyncio.sleep(0.05)
    assert time.monotonic() - started >= 0.3  # not before the bound: a blip does not flap readiness


async def test_revocation_freshness_and_lag_are_exported_as_metrics(gateway: Any) -> None:
    text = (await gateway.client.get("/metrics")).text
    assert "revocation_contact_age_seconds" in text
    assert "revocation_lag_events" in text
    assert "revocation_current 1.0" in text


async def test_failing_closed_answers_503_to_token_calls_while_revocations_are_not_current(
    make_gateway: Any, test_keys: SigningKeys
) -> None:
    gateway = await make_gateway(revocation_fail_mode="closed")
    token = test_keys.token()
    assert (await gateway.client.get(INBOX, headers=bearer(token))).status_code == 200
    await gateway.runtime.revocations.stop()
    refused = await gateway.client.get(INBOX, headers=bearer(token))
    assert refused.status_code == 503
    assert refused.json()["type"].endswith("/revocations-unavailable")
    assert (await gateway.client.get("/v1/identity/wards")).status_code == 200  # public calls still work
