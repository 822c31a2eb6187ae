"""identity-service test fixtures: the app on a migrated SQLite file, light Argon2, and an API driver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys
from identity_service.config import IdentitySettings
from identity_service.main import create_app
from identity_service.testing import IdentityDriver, light_settings


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., IdentitySettings]:
    return lambda **overrides: light_settings(tmp_path, **overrides)


@pytest.fixture
async def identity(
    tmp_path: Path, test_keys: SigningKeys, database_url: str
) -> AsyncIterator[RunningService]:
    """On SQLite, or on PostgreSQL too where a folder or module opts in (hues_shared.testing.databases)."""
    async with running_service(
        create_app, light_settings(tmp_path, database_url=database_url), keys=test_keys, bus=RecordingBus()
    ) as service:
        yield service


@pytest.fixture
def api(identity: RunningService, test_keys: SigningKeys) -> IdentityDriver:
    return IdentityDriver(identity, test_keys)


@pytest.fixture
async def pg_api(tmp_path: Path, test_keys: SigningKeys, postgres_url: str) -> AsyncIterator[IdentityDriver]:
    """The same driver on a fresh PostgreSQL database: for races that need real row locks."""
    settings = light_settings(tmp_path, database_url=postgres_url, database_pool_size=20)
    async with running_service(create_app, settings, keys=test_keys, bus=RecordingBus()) as service:
        yield IdentityDriver(service, test_keys)
