"""Refresh rotation under concurrent use, on PostgreSQL (SQLite's FOR UPDATE does nothing; issue 15).

Rotation reads the refresh token `FOR UPDATE`: of several requests spending one token at the same time,
one gets the successor and the others find it spent (a replay), so one token never yields two sessions'
worth of successors.
"""

import asyncio

import pytest
from jose import jwt

from hues_shared.contracts.identity import SessionRevoked
from hues_shared.testing.events import outbox_events
from identity_service.testing import CITIZEN_CCCD, IdentityDriver

pytestmark = pytest.mark.databases("postgresql")
CONCURRENT = 6


async def _spend_concurrently(api: IdentityDriver, refresh_token: str) -> list[int]:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    responses = await asyncio.gather(
        *(api.client.post("/v1/auth/token", data=data) for _ in range(CONCURRENT))
    )
    return sorted(r.status_code for r in responses)


async def test_concurrent_refreshes_with_one_token_rotate_it_once(api: IdentityDriver) -> None:
    await api.active_citizen()
    first = (await api.login(CITIZEN_CCCD)).json()
    statuses = await _spend_concurrently(api, first["refresh_token"])
    assert statuses == [200] + [400] * (CONCURRENT - 1)


async def test_concurrent_refreshes_count_as_a_replay_and_end_the_session(api: IdentityDriver) -> None:
    await api.active_citizen()
    first = (await api.login(CITIZEN_CCCD)).json()
    await _spend_concurrently(api, first["refresh_token"])
    session_id = jwt.get_unverified_claims(first["access_token"])["sid"]
    revoked = await outbox_events(api.service.runtime, SessionRevoked)
    assert [(e.session_id, e.reason) for e in revoked] == [(session_id, "refresh_token_reuse")]
