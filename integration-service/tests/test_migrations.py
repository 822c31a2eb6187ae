"""The migrations build exactly the tables the models describe, on SQLite and on real PostgreSQL; the
webhook dispatcher and the usage counters behave under concurrency on PostgreSQL."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from hues_shared.contracts.gateway import PartnerUsageRecorded, RouteUsage
from hues_shared.migrations import upgrade
from hues_shared.testing.apps import running_service
from hues_shared.testing.migrations import schema_differences
from hues_shared.testing.tokens import SigningKeys
from hues_shared.types import utcnow
from integration_service.db import metadata
from integration_service.main import MIGRATIONS_DIR, create_app
from integration_service.usage import service as usage_service
from integration_service.webhooks.dispatcher import dispatch_once

SUSPENDED = "hues.integration.application.suspended"
REINSTATED = "hues.integration.application.reinstated"


async def _differences(url: str) -> list[Any]:
    return await schema_differences(url, metadata)


async def test_sqlite_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    await upgrade(MIGRATIONS_DIR, url)
    assert await _differences(url) == []


@pytest.mark.postgres
async def test_two_dispatchers_on_postgresql_send_each_delivery_once(
    postgres_url: str,
    tmp_path: Path,
    test_keys: SigningKeys,
    people: Any,
    partner: tuple[FastAPI, str],
    partner_manifest: Any,
    onboarding_for: Any,
    wait: Any,
) -> None:
    """FOR UPDATE SKIP LOCKED plus the lease: concurrent rounds never send one delivery twice."""
    from integration_service.config import IntegrationSettings

    settings = IntegrationSettings(
        environment="test",
        database_url=postgres_url,
        outbound_allow_loopback=True,
        webhook_dispatcher_enabled=False,  # rounds are driven by the test
    )
    app, url = partner
    async with running_service(create_app, settings, keys=test_keys) as service:
        assert await _differences(postgres_url) == []
        onboarding = onboarding_for(service)
        application_id = await onboarding.approved(partner_manifest(), app)
        subscription_id = await onboarding.subscribe(application_id, f"{url}/webhooks", SUSPENDED, REINSTATED)
        for decision in ("suspend", "reinstate", "suspend", "reinstate"):
            assert (await onboarding.decide(application_id, decision, "load")).status_code == 200

        async def four() -> bool:
            return len(await onboarding.deliveries(subscription_id)) == 4

        await wait(four)
        await asyncio.gather(*(dispatch_once(service.runtime) for _ in range(3)))
        ids = [
            r["headers"]["webhook-id"]
            for r in app.state.received
            if r["payload"]["type"] != "hues.integration.webhook.challenge"
        ]
        assert len(ids) == 4 and len(set(ids)) == 4
        assert all(d["attempts"] == 1 for d in await onboarding.deliveries(subscription_id))


@pytest.mark.postgres
async def test_concurrent_usage_batches_add_up_on_postgresql(
    postgres_url: str, test_keys: SigningKeys
) -> None:
    from integration_service.config import IntegrationSettings
    from integration_service.usage import repository

    settings = IntegrationSettings(
        environment="test", database_url=postgres_url, webhook_dispatcher_enabled=False
    )
    async with running_service(create_app, settings, keys=test_keys) as service:

        async def batch(n: int) -> None:
            now = utcnow()
            event = PartnerUsageRecorded(
                batch_id=f"b{n}",
                gateway_instance=f"gw{n}",
                window_start=now,
                window_end=now,
                counts=[RouteUsage(application_id="app-1", route="r", requests=n)],
            )
            async with service.runtime.db.unit_of_work() as session:
                await usage_service.record_batch(session, event=event)

        await batch(1)  # the row exists; concurrent batches then lock it
        await asyncio.gather(*(batch(n) for n in range(2, 7)))
        async with service.runtime.db.sessions() as session:
            [row] = await repository.get_all(
                session, application_id="app-1", since=utcnow().date(), until=utcnow().date()
            )
        assert row.requests == sum(range(1, 7))
