"""Refresh-token reuse detection holds when the copies arrive together (issue 7, item 12), on SQLite."""

import asyncio

from hues_shared.contracts.identity import SessionRevoked
from hues_shared.testing.events import outbox_events
from identity_service.testing import CITIZEN_CCCD, IdentityDriver


async def test_five_parallel_refreshes_with_one_token_rotate_it_once(api: IdentityDriver) -> None:
    await api.active_citizen()
    refresh_token = (await api.login(CITIZEN_CCCD)).json()["refresh_token"]
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    responses = await asyncio.gather(*(api.client.post("/v1/auth/token", data=data) for _ in range(5)))
    assert [r.status_code for r in responses].count(200) <= 1, [r.text for r in responses]
    revoked = await outbox_events(api.service.runtime, SessionRevoked)
    assert [e.reason for e in revoked] == ["refresh_token_reuse"]
