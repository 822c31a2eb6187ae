from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.tokens import SigningKeys
from integration_service.config import IntegrationSettings
from integration_service.main import create_app


@pytest.fixture
async def integration(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    settings = IntegrationSettings(
        environment="test", database_url=f"sqlite+aiosqlite:///{tmp_path}/integration.db"
    )
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield service
