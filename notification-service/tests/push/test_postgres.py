"""Several dispatcher processes on one PostgreSQL share the push jobs without pushing a device twice."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from hues_shared.testing.apps import running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys
from notification_service.main import create_app
from notification_service.push import repository
from notification_service.push.dispatcher import DispatchSettings, PushDispatcher
from notification_service.push.models import Device, PushDelivery
from notification_service.push.provider import FcmProvider
from notification_service.push.sink import SinkState, create_sink_app
from notification_service.testing import World, settings_for

pytestmark = pytest.mark.postgres
DEVICES = 300


def _dispatcher(world: World, sink: SinkState) -> PushDispatcher:
    provider = FcmProvider(
        endpoint="http://sink",
        project_id="hue-s",
        access_token=None,
        concurrency=20,
        timeout=10,
        transport=httpx.ASGITransport(app=create_sink_app(sink)),
    )
    return PushDispatcher(
        world.service.runtime, provider, DispatchSettings(batch_size=25, retry_base_seconds=0.01)
    )


async def test_concurrent_dispatchers_push_each_device_once(
    postgres_url: str, tmp_path: Path, test_keys: SigningKeys
) -> None:
    settings = settings_for(tmp_path, database_url=postgres_url)  # push off: the dispatchers below do it
    async with running_service(create_app, settings, keys=test_keys, bus=RecordingBus()) as service:
        world = World(service, test_keys)
        citizen = await world.citizen()
        async with service.runtime.db.unit_of_work() as session:
            account_id = world.keys_sub(citizen)
            session.add_all(
                Device(account_id=account_id, platform="android", token=f"pg-token-{n:04d}", app_version="1")
                for n in range(DEVICES)
            )
        first = await world.published_notice({"everyone": True})
        second = await world.published_notice({"everyone": True})
        async with service.runtime.db.unit_of_work() as session:
            for notice in (first, second):
                await repository.create_job(session, notice_id=notice["id"])
        sink = SinkState()
        workers = [_dispatcher(world, sink) for _ in range(3)]
        await asyncio.gather(*(w.drain() for w in workers))
        await asyncio.gather(*(w.drain() for w in workers))  # whoever stopped early picks up the rest
        tokens = [(m["data"]["notice_id"], m["token"]) for m in sink.received]
        assert len(tokens) == len(set(tokens)) == 2 * DEVICES
        async with service.runtime.db.sessions() as session:
            accepted = await session.scalar(
                sa.select(sa.func.count()).select_from(PushDelivery).where(PushDelivery.status == "accepted")
            )
        assert accepted == 2 * DEVICES
        for worker in workers:
            await worker.provider.close()
