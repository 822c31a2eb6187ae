"""Embedded mode: with no provider configured, pushes go to an in-process sink (nothing leaves the host)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import sqlalchemy as sa

from hues_shared.testing.apps import running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys
from notification_service.main import create_app
from notification_service.push.models import PushDelivery
from notification_service.testing import World, settings_for


async def test_the_default_endpoint_is_an_in_process_sink(tmp_path: Path, test_keys: SigningKeys) -> None:
    settings = settings_for(tmp_path, push_enabled=True, push_poll_seconds=0.05)
    assert settings.push_endpoint == "embedded"
    async with running_service(create_app, settings, keys=test_keys, bus=RecordingBus()) as service:
        world = World(service, test_keys)
        citizen = await world.citizen()
        body = {"platform": "web", "token": "embedded-browser-token", "app_version": "1.0"}
        assert (await world.post("/v1/devices", citizen, body)).status_code == 201
        notice = await world.published_notice({"everyone": True})
        statuses: list[str] = []
        for _ in range(200):
            async with service.runtime.db.sessions() as session:
                statuses = list(
                    (
                        await session.scalars(
                            sa.select(PushDelivery.status).where(PushDelivery.notice_id == notice["id"])
                        )
                    ).all()
                )
            if statuses:
                break
            await asyncio.sleep(0.02)
        assert statuses == ["accepted"]
