from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hues_shared.testing.apps import running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys
from notification_service.main import create_app
from notification_service.push.sink import SinkState, create_sink_app
from notification_service.testing import World, settings_for


@pytest.fixture
def sink() -> SinkState:
    return SinkState()


@pytest.fixture
async def pushing(tmp_path: Path, test_keys: SigningKeys, sink: SinkState) -> AsyncIterator[World]:
    """The service with its dispatcher on, pushing to an in-process sink."""
    settings = settings_for(
        tmp_path, push_enabled=True, push_batch_size=2, push_retry_base_seconds=0.01, push_poll_seconds=0.05
    )
    transport = httpx.ASGITransport(app=create_sink_app(sink))
    async with running_service(
        create_app, settings, keys=test_keys, bus=RecordingBus(), push_transport=transport
    ) as service:
        yield World(service, test_keys)
