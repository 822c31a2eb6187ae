"""An event travels from one service's outbox to another service's handler (issue 2, end-to-end)."""

from __future__ import annotations

import asyncio
import signal
import sqlite3

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.conftest import EmbeddedPlatform, citizen_registration, random_cccd
from tests.e2e.platform_processes import PlatformProcesses

pytestmark = [pytest.mark.e2e]


async def _register(base_url: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        response = await client.post("/v1/accounts/citizens", json=citizen_registration(random_cccd()))
    assert response.status_code == 201, response.text
    return str(response.json()["account_id"])


@pytest.mark.postgres
@pytest.mark.kafka
async def test_registration_reaches_notification_through_kafka_between_processes(
    distributed_platform: PlatformProcesses,
) -> None:
    account_id = await _register(distributed_platform.url("identity"))
    engine = create_async_engine(distributed_platform.database_urls["notification"])
    try:
        for _ in range(150):
            async with engine.connect() as connection:
                count = await connection.scalar(
                    sa.text("SELECT count(*) FROM inbox_messages WHERE account_id = :id"), {"id": account_id}
                )
            if count:
                break
            await asyncio.sleep(0.1)
        assert count == 1, distributed_platform.log_tail("notification")
    finally:
        await engine.dispose()
    # Graceful shutdown on SIGTERM: uvicorn drains, the lifespan stops consumer and relay, then the process
    # re-raises the signal it caught (exit status -15 is uvicorn's normal ending after a clean stop).
    for name in [n for n in distributed_platform.processes if n != "gateway"]:
        assert distributed_platform.stop(name, sig=signal.SIGTERM) in (0, -signal.SIGTERM)
        assert "service stopped" in distributed_platform.log_tail(name, lines=10), (
            f"{name} did not stop cleanly"
        )


async def test_registration_reaches_notification_through_the_in_memory_bus(
    embedded_platform: EmbeddedPlatform,
) -> None:
    account_id = await _register(embedded_platform.url("identity"))
    database = embedded_platform.workdir / "var" / "notification.db"
    count = 0
    for _ in range(100):
        with sqlite3.connect(database) as connection:
            count = connection.execute(
                "SELECT count(*) FROM inbox_messages WHERE account_id = ?", (account_id,)
            ).fetchone()[0]
        if count:
            break
        await asyncio.sleep(0.1)
    assert count == 1, embedded_platform.log()[-3000:]
    async with httpx.AsyncClient(timeout=5) as client:
        for name in ("identity", "integration", "feedback", "notification", "catalog"):
            assert (await client.get(embedded_platform.url(name) + "/readyz")).status_code == 200
            assert (await client.get(embedded_platform.url(name) + "/docs")).status_code == 200
        assert (await client.get(embedded_platform.url("gateway") + "/healthz")).status_code == 200
