"""Issue 7, item 10 and issue 8, item 10: every service refuses revoked tokens, and says when it cannot know.

Before: only the gateway kept a denylist, so feedback, notification, catalog and integration reached
directly (or through a gateway bypass) accepted a logged-out or locked account's token until it expired.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hues_eventlab import app as lab
from jose import jwt

from hues_shared.contracts.identity import AccountLocked, SessionRevoked
from hues_shared.events.bus import InMemoryBus
from hues_shared.events.contracts import EventContract
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.tokens import SigningKeys, bearer


async def publish(bus: InMemoryBus, event: EventContract) -> None:
    await bus.publish([envelope_for(event, source="/hues/identity-service")])


async def status_within(service: RunningService, token: str, expected: int, *, seconds: float = 3.0) -> int:
    deadline = time.monotonic() + seconds
    while True:
        status = (await service.client.get("/v1/lab/me", headers=bearer(token))).status_code
        if status == expected or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.05)


@pytest.fixture
async def service(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    url = f"sqlite+aiosqlite:///{tmp_path}/lab.db"
    await lab.create_schema(url)
    async with running_service(
        lab.create_app,
        lab.lab_settings(url, revocation_max_staleness_seconds=0.5),
        keys=test_keys,
        bus=InMemoryBus(),
        migrate=False,
    ) as running:
        yield running


async def test_service_reached_around_the_gateway_refuses_a_logged_out_session(
    service: RunningService, test_keys: SigningKeys
) -> None:
    token = test_keys.token(sub="acc-1")
    other_session = test_keys.token(sub="acc-1")
    assert (await service.client.get("/v1/lab/me", headers=bearer(token))).status_code == 200
    sid = jwt.get_unverified_claims(token)["sid"]
    revoked = SessionRevoked(
        account_id="acc-1", session_id=sid, reason="logout", revoked_at=datetime.now(UTC)
    )
    await publish(service.runtime.bus, revoked)  # type: ignore[arg-type]
    assert await status_within(service, token, 401) == 401
    refused = await service.client.get("/v1/lab/me", headers=bearer(token))
    assert refused.json()["type"].endswith("/token-revoked")
    assert (await service.client.get("/v1/lab/me", headers=bearer(other_session))).status_code == 200


async def test_service_refuses_the_tokens_of_a_locked_account(
    service: RunningService, test_keys: SigningKeys
) -> None:
    token = test_keys.token(sub="acc-locked")
    await publish(
        service.runtime.bus,  # type: ignore[arg-type]
        AccountLocked(account_id="acc-locked", reason="dic", locked_at=datetime.now(UTC)),
    )
    assert await status_within(service, token, 401) == 401


async def test_service_readiness_fails_when_the_revocation_listener_stops(service: RunningService) -> None:
    assert (await service.client.get("/readyz")).status_code == 200
    await service.runtime.revocations.stop()  # a hung or dead listener: nothing is heard any more
    ready = await service.client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["revocations"] == "unavailable"


async def test_failing_closed_refuses_tokens_while_revocations_are_not_current(
    tmp_path: Path, test_keys: SigningKeys
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/lab.db"
    await lab.create_schema(url)
    settings = lab.lab_settings(url, revocation_fail_mode="closed", revocation_max_staleness_seconds=0.3)
    async with running_service(
        lab.create_app, settings, keys=test_keys, bus=InMemoryBus(), migrate=False
    ) as svc:
        token = test_keys.token()
        assert (await svc.client.get("/v1/lab/me", headers=bearer(token))).status_code == 200
        await svc.runtime.revocations.stop()
        refused = await svc.client.get("/v1/lab/me", headers=bearer(token))
        assert refused.status_code == 503
        assert refused.json()["type"].endswith("/revocations-unavailable")


async def test_failing_open_keeps_accepting_tokens_while_readiness_reports_the_gap(
    service: RunningService, test_keys: SigningKeys
) -> None:
    await service.runtime.revocations.stop()
    assert (await service.client.get("/v1/lab/me", headers=bearer(test_keys.token()))).status_code == 200
    assert (await service.client.get("/readyz")).status_code == 503
