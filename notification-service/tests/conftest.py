from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys
from notification_service.config import NotificationSettings
from notification_service.main import create_app


@pytest.fixture
async def notification(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    settings = NotificationSettings(
        environment="test", database_url=f"sqlite+aiosqlite:///{tmp_path}/notification.db", log_json=False
    )
    async with running_service(create_app, settings, keys=test_keys, bus=RecordingBus()) as service:
        yield service
