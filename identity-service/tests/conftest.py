from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from identity_service.config import IdentitySettings
from identity_service.main import create_app
from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.tokens import SigningKeys


@pytest.fixture
async def identity(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    settings = IdentitySettings(environment="test", database_url=f"sqlite+aiosqlite:///{tmp_path}/identity.db")
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield service
