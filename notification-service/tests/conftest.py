from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys
from notification_service.main import create_app
from notification_service.testing import World, settings_for


@pytest.fixture
async def notification(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    async with running_service(
        create_app, settings_for(tmp_path), keys=test_keys, bus=RecordingBus()
    ) as service:
        yield service


@pytest.fixture
def world(notification: RunningService, test_keys: SigningKeys) -> World:
    return World(notification, test_keys)
